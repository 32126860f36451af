"""The sandbox's CRM: users, org, modules, records and their mailboxes, from a seed.

Everything is deterministic: the same seed gives the same records, emails, ids
and bodies every run. Record ids, names and email counts of the well-known
records are fixed constants (tests and the CLI name them); their emails' contents
come from the seed. Email times are fixed dates (2026-01-05 .. 2026-11-20),
never derived from now().
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import msgspec
import msgspec.structs

from tui.sandbox.opaque import OpaqueIds, key_for_seed

if TYPE_CHECKING:
    from tui.sandbox.mailbox import Mailbox

DEFAULT_SEED = 7

# --- credentials (fixed: `crm-emails sandbox` prints them) ------------------------

CLIENT_ID = "1000.SANDBOXCL1ENT0000CRMEMA1LS0000"
CLIENT_SECRET = "5a9d0c3e7b1f4a2d8e6c0b9a7f3e1d5c2b8a4f6e0d"
REFRESH_TOKEN = "1000.5a4dbc0e1f2a3b4c5d6e7f8091a2b3c4.d5e6f708192a3b4c5d6e7f8091a2b3c4"
# Single use per sandbox instance, like Zoho's grant codes.
GRANT_CODE = "1000.9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49.0f1e2d3c4b5a69788796a5b4c3d2e1f0"

# --- well-known records: (module, id) --------------------------------------------

LEAD_MAIN = ("Leads", "4150868000000250001")
LEAD_EMPTY = ("Leads", "4150868000000000001")
LEAD_ONE = ("Leads", "4150868000000001001")
LEAD_TEN = ("Leads", "4150868000000010001")
LEAD_ELEVEN = ("Leads", "4150868000000011001")
LEAD_BULK = ("Leads", "4150868000005000001")
# 50,000 emails, for `python -m tui.bench`: a Contact, so the Leads the picker lists stay as they were.
CONTACT_HUGE = ("Contacts", "4150868000050000001")
HUGE_EMAILS = 50_000
CONTACT_HOSTILE = ("Contacts", "4150868000000300001")
ACCOUNT_MAIN = ("Accounts", "4150868000000400001")
DEAL_MAIN = ("Deals", "4150868000000500001")
CUSTOM_MAIN = ("Projects", "4150868000000600001")
LEAD_CANNOT_PROCESS = ("Leads", "4150868000000900001")
LEAD_NO_PERMISSION = ("Leads", "4150868000000900002")

# The ~2 MB newsletter of LEAD_MAIN sits at this position: on the demo's first page.
LARGE_NEWSLETTER_POSITION = 4
LARGE_NEWSLETTER_BYTES = 2 * 1024 * 1024


def message_context(record_id: str) -> str:
    """What a message id is sealed to: an id only opens under its own record."""
    return f"message|{record_id}"


def large_newsletter_id(seed: int = DEFAULT_SEED) -> str:
    """The message id of LEAD_MAIN's ~2 MB newsletter for a seed."""
    return OpaqueIds(key_for_seed(seed)).seal(message_context(LEAD_MAIN[1]), LARGE_NEWSLETTER_POSITION)

LARGE_NEWSLETTER_ID = large_newsletter_id(DEFAULT_SEED)

# --- org and users -----------------------------------------------------------------

ORG_ID = "4150868000000000099"
ORG_DOMAIN_NAME = "org808232144"
ORG_COMPANY = "Analytical Engines Demo"
# Five letters then .com: Zoho's users.json pins user emails to that pattern.
USER_EMAIL_DOMAIN = "aelab.com"

CURRENT_USER_ID = "4150868000000470001"


class User(msgspec.Struct, frozen=True):
    """A user of the sandbox's org."""

    id: str
    first_name: str
    last_name: str
    role: str
    profile: str
    status: str  # "active" or "disabled"
    time_zone: str
    utc_offset: timedelta  # fixed: the user's CRM time-zone setting, no DST

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.first_name}{self.last_name}".lower() + "@" + USER_EMAIL_DOMAIN

    @property
    def tz(self) -> timezone:
        return timezone(self.utc_offset)


USERS: tuple[User, ...] = (
    User(CURRENT_USER_ID, "Patricia", "Boyle", "CEO", "Administrator", "active", "Asia/Kolkata",
         timedelta(hours=5, minutes=30)),
    User("4150868000000470011", "Charles", "Babbage", "Manager", "Standard", "active", "Europe/London",
         timedelta(0)),
    User("4150868000000470021", "Mary", "Somerville", "Sales Representative", "Standard", "active",
         "America/Los_Angeles", timedelta(hours=-8)),
    User("4150868000000470031", "Hermann", "Hollerith", "Sales Representative", "Standard", "disabled",
         "America/New_York", timedelta(hours=-5)),
)
USER_BY_ID: dict[str, User] = {u.id: u for u in USERS}
CURRENT_USER = USER_BY_ID[CURRENT_USER_ID]

ROLE_IDS = {"CEO": "4150868000000026005", "Manager": "4150868000000026008",
            "Sales Representative": "4150868000000026011"}
PROFILE_IDS = {"Administrator": "4150868000000026011", "Standard": "4150868000000026014"}


# --- modules -------------------------------------------------------------------------


class ModuleSpec(msgspec.Struct, frozen=True):
    """A module of the sandbox's org, as its module list answers it."""

    api_name: str
    module_name: str  # custom modules: "CustomModuleN" (their web tab)
    plural_label: str
    singular_label: str
    id: str
    generated_type: str = "default"
    api_supported: bool = True
    has_emails: bool = True  # the Emails related list exists for it
    display_field: str | None = None  # custom modules name records by this field
    sequence_number: int = 0


MODULES: tuple[ModuleSpec, ...] = (
    ModuleSpec("Home", "Home", "Home", "Home", "4150868000000002173", api_supported=False, has_emails=False,
               sequence_number=1),
    ModuleSpec("Leads", "Leads", "Leads", "Lead", "4150868000000002175", sequence_number=2),
    ModuleSpec("Contacts", "Contacts", "Contacts", "Contact", "4150868000000002179", sequence_number=3),
    ModuleSpec("Accounts", "Accounts", "Accounts", "Account", "4150868000000002177", sequence_number=4),
    ModuleSpec("Deals", "Potentials", "Deals", "Deal", "4150868000000002181", sequence_number=5),
    ModuleSpec("Tasks", "Tasks", "Tasks", "Task", "4150868000000002183", has_emails=False, sequence_number=6),
    ModuleSpec("Calls", "Calls", "Calls", "Call", "4150868000000002187", has_emails=False, sequence_number=7),
    ModuleSpec("Notes", "Notes", "Notes", "Note", "4150868000000002195", has_emails=False, sequence_number=8),
    ModuleSpec("Quotes", "Quotes", "Quotes", "Quote", "4150868000000002197", sequence_number=9),
    ModuleSpec("Sales_Orders", "SalesOrders", "Sales Orders", "Sales Order", "4150868000000002199",
               sequence_number=10),
    ModuleSpec("Purchase_Orders", "PurchaseOrders", "Purchase Orders", "Purchase Order", "4150868000000002201",
               sequence_number=11),
    ModuleSpec("Invoices", "Invoices", "Invoices", "Invoice", "4150868000000002203", sequence_number=12),
    ModuleSpec("Projects", "CustomModule1", "Projects", "Project", "4150868000000612001",
               generated_type="custom", display_field="Name", sequence_number=13),
)


def module_key(name: str) -> str:
    """Zoho accepts module names in any case and without underscores (`salesorders`)."""
    return name.replace("_", "").lower()


MODULE_BY_KEY: dict[str, ModuleSpec] = {module_key(m.api_name): m for m in MODULES}

# The field that names a record, and the fields each module's records carry.
NAME_FIELD = {"Leads": "Full_Name", "Contacts": "Full_Name", "Accounts": "Account_Name", "Deals": "Deal_Name",
              "Quotes": "Subject", "Invoices": "Subject", "Sales_Orders": "Subject", "Purchase_Orders": "Subject",
              "Projects": "Name"}


# --- people who write to and from records -----------------------------------------------


class Person(msgspec.Struct, frozen=True):
    """Someone who writes or is written to, and their time zone."""

    name: str | None
    email: str
    utc_offset: timedelta = timedelta(0)


# --- records ------------------------------------------------------------------------------


class MailboxShape(msgspec.Struct, frozen=True):
    """How many emails a record has, by kind. `count` is what a list without `type` returns."""

    count: int = 0
    scheduled: int = 0
    drafts: int = 0
    # Accounts only: emails CRM sent/scheduled/drafted to the account's contacts.
    contact_sent: int = 0
    contact_scheduled: int = 0
    contact_drafts: int = 0
    profile: str = "ordinary"  # ordinary, demo, hostile, bulk

    @property
    def total(self) -> int:
        return (self.count + self.scheduled + self.drafts + self.contact_sent + self.contact_scheduled
                + self.contact_drafts)


class RecordSpec(msgspec.Struct, frozen=True):
    """A record of the sandbox, its fields and what its mailbox holds."""

    module: str
    id: str
    name: str
    owner: User
    fields: dict[str, object]  # module-specific fields besides id/Owner/times
    shape: MailboxShape
    correspondents: tuple[Person, ...]  # the outside people its emails go to and come from
    created: datetime
    modified: datetime
    # "ok", "cannot_process" (400 CANNOT_PROCESS) or "no_permission" (403 NO_PERMISSION) for its emails.
    access: str = "ok"
    contacts: tuple[tuple[str, str], ...] = ()  # (id, name) of an account's contacts

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.id)


_DOMAINS = ("zylker.com", "gmail.com", "outlook.com", "proton.me", "lovelace-analytics.co.uk",
            "telegraph-works.co.uk", "jacquard.fr", "tabulator.io", "rechenwerk.de", "kyoto-keisan.co.jp")

# (module, name, extra fields) of the ordinary records, ~40 of them:
# several names share a prefix ("Ada", "Adam", "Adaline") so search has something to find.
_ORDINARY: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("Leads", "Adam Ashford", {"Company": "Ashford Instruments"}),
    ("Leads", "Adaline Brooks", {"Company": "Brooks & Kettle"}),
    ("Leads", "Adah Okonkwo", {"Company": "Lagos Data Works"}),
    ("Leads", "Brigid O'Sullivan", {"Company": "Cork Looms"}),
    ("Leads", "Chen Wei", {"Company": "深圳计算机械有限公司"}),
    ("Leads", "José Álvarez", {"Company": "Máquinas Álvarez S.L."}),
    ("Leads", "Zoë Marchetti", {"Company": "Marchetti Automazione"}),
    ("Leads", "Priya Raghunathan", {"Company": "Raghunathan Tabulators"}),
    ("Contacts", "Mary Jackson", {}),
    ("Contacts", "Katherine Johnson", {}),
    ("Contacts", "Dorothy Vaughan", {}),
    ("Contacts", "Adaline Fairfax", {}),
    ("Contacts", "Émilie du Châtelet", {}),
    ("Contacts", "Hiroshi Tanaka", {}),
    ("Contacts", "Leila Haddad", {}),
    ("Accounts", "Adastral Park Labs", {"Website": "https://adastral-labs.example.co.uk"}),
    ("Accounts", "Babbage & Sons", {"Website": "https://babbage-sons.example.com"}),
    ("Accounts", "Jacquard Looms SA", {"Website": "https://jacquard.fr"}),
    ("Accounts", "Hollerith Tabulating Co.", {"Website": "https://tabulator.io"}),
    ("Accounts", "Zuse KG", {"Website": "https://rechenwerk.de"}),
    ("Deals", "Ada Training Programme", {"Stage": "Qualification"}),
    ("Deals", "Punch Card Supply 2026", {"Stage": "Proposal/Price Quote"}),
    ("Deals", "Mill & Store Retrofit", {"Stage": "Closed Won"}),
    ("Deals", "Analytical Engine Mk II — Geneva", {"Stage": "Needs Analysis"}),
    ("Quotes", "Q-2026-0142 Difference Engine spares", {"Quote_Stage": "Delivered"}),
    ("Quotes", "Q-2026-0177 Ada onboarding", {"Quote_Stage": "Draft"}),
    ("Quotes", "Q-2026-0203 Jacquard cards", {"Quote_Stage": "Negotiation"}),
    ("Invoices", "INV-2026-0091 Maintenance Q1", {"Status": "Paid"}),
    ("Invoices", "INV-2026-0104 Adaptive gearing", {"Status": "Approved"}),
    ("Invoices", "INV-2026-0131 Training days", {"Status": "Created"}),
    ("Sales_Orders", "SO-2026-0033 Brass gears", {"Status": "Delivered"}),
    ("Sales_Orders", "SO-2026-0041 Card punches", {"Status": "Approved"}),
    ("Sales_Orders", "SO-2026-0058 Adapter plates", {"Status": "Created"}),
    ("Purchase_Orders", "PO-2026-0012 Cam shafts", {"Status": "Ordered"}),
    ("Purchase_Orders", "PO-2026-0019 Steam governors", {"Status": "Received"}),
    ("Purchase_Orders", "PO-2026-0027 Walnut cabinets", {"Status": "Cancelled"}),
    ("Projects", "Ada Compiler Port", {}),
    ("Projects", "Harvard Mark I Restoration", {}),
)

# Outside people for records that are not people themselves (accounts, deals, orders...).
_CORRESPONDENT_NAMES = ("Charles Wheatstone", "Augustus De Morgan", "Luigi Menabrea", "Joseph Clement",
                        "Sophie Germain", "Kiyoshi Itō", "Florence Nightingale", "Nasir al-Din al-Tusi",
                        "Ida Rhodes", "Anita Borg", "Radia Perlman", "Tu Youyou")

_OFFSETS = (timedelta(0), timedelta(hours=1), timedelta(hours=-8), timedelta(hours=9),
            timedelta(hours=5, minutes=30), timedelta(hours=-5), timedelta(hours=2))

_TIME_FIRST = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
_TIME_LAST = datetime(2026, 11, 20, 18, 0, tzinfo=timezone.utc)


def address_for(name: str, domain: str) -> str:
    """first.last@domain, ASCII-folded the way mail admins do it."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    parts = [p for p in "".join(c if c.isalnum() else " " for c in folded).split() if p]
    return ".".join(parts[:2] or ["contact"]) + "@" + domain


class SandboxData:
    """All of the sandbox's CRM for one seed. Mailboxes are built lazily, bodies on demand."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self.ids = OpaqueIds(key_for_seed(seed))
        self.records: dict[str, RecordSpec] = {r.id: r for r in self._build_records()}
        self.time_first = _TIME_FIRST
        self.time_last = _TIME_LAST
        self.bodies_built = 0  # every email body generated (tests check laziness with it)
        self._mailboxes: dict[str, Mailbox] = {}

    # -- records --

    def record(self, module: str, record_id: str) -> RecordSpec | None:
        record = self.records.get(record_id)
        return record if record is not None and module_key(record.module) == module_key(module) else None

    def records_of(self, module: str) -> list[RecordSpec]:
        return [r for r in self.records.values() if module_key(r.module) == module_key(module)]

    def mailbox(self, record: RecordSpec) -> Mailbox:
        from tui.sandbox.mailbox import Mailbox  # mailbox.py builds on this module

        if record.id not in self._mailboxes:
            self._mailboxes[record.id] = Mailbox(self, record)
        return self._mailboxes[record.id]

    def _build_records(self) -> list[RecordSpec]:
        rng = random.Random(f"{self.seed}|records")
        records = list(self._well_known(rng))
        account_contacts: list[tuple[str, str]] = []
        for number, (module, name, extra) in enumerate(_ORDINARY):
            record = self._ordinary(rng, number, module, name, extra)
            if module == "Contacts" and len(account_contacts) < 3:
                account_contacts.append((record.id, record.name))
            records.append(record)
        records.append(self._huge())
        # The first three contacts work at ACCOUNT_MAIN: its all_contacts_* emails go to them.
        account = next(r for r in records if r.key == ACCOUNT_MAIN)
        records[records.index(account)] = msgspec.structs.replace(account, contacts=tuple(account_contacts))
        for i, record in enumerate(records):
            if (record.id, record.name) in account_contacts:
                fields = dict(record.fields, Account_Name={"name": account.name, "id": account.id})
                records[i] = msgspec.structs.replace(record, fields=fields)
        return records

    def _well_known(self, rng: random.Random):
        def person(module_id, name, email, shape, *, access="ok", extra=None, offset=timedelta(0)):
            module, record_id = module_id
            first, _, last = name.rpartition(" ")
            fields = {"First_Name": first or None, "Last_Name": last, "Email": email, **(extra or {})}
            return self._record(rng, module, record_id, name, fields, shape,
                                (Person(name, email, offset),), access=access)

        def thing(module_id, name, fields, shape, correspondents):
            module, record_id = module_id
            return self._record(rng, module, record_id, name, fields, shape, correspondents)

        yield person(LEAD_MAIN, "Ada Lovelace", "ada@lovelace-analytics.co.uk",
                     MailboxShape(250, scheduled=6, drafts=4, profile="demo"),
                     extra={"Company": "Lovelace Analytics"})
        yield person(LEAD_EMPTY, "Nora Empty", "nora.empty@zylker.com", MailboxShape(0),
                     extra={"Company": "Zylker"})
        yield person(LEAD_ONE, "Omar Single", "omar.single@zylker.com", MailboxShape(1),
                     extra={"Company": "Zylker"}, offset=timedelta(hours=3))
        yield person(LEAD_TEN, "Tess Tenney", "tess.tenney@outlook.com", MailboxShape(10),
                     extra={"Company": "Tenney Textiles"}, offset=timedelta(hours=-5))
        yield person(LEAD_ELEVEN, "Eli Eleven", "eli@eleven-labs.io", MailboxShape(11),
                     extra={"Company": "Eleven Labs"}, offset=timedelta(hours=2))
        yield person(LEAD_BULK, "Bulk Newsletter Lead", "bulk.reader@zylker.com", MailboxShape(5000, profile="bulk"),
                     extra={"Company": "Zylker"})
        yield person(CONTACT_HOSTILE, "Grace Hopper", "grace@cobol-systems.com",
                     MailboxShape(30, profile="hostile"), offset=timedelta(hours=-5))
        yield thing(ACCOUNT_MAIN, "Analytical Engines Ltd", {"Website": "https://analytical-engines.example.co.uk"},
                    MailboxShape(40, scheduled=2, drafts=2, contact_sent=9, contact_scheduled=3, contact_drafts=3),
                    (Person("Luigi Menabrea", "l.menabrea@analytical-engines.example.co.uk", timedelta(hours=1)),))
        yield thing(DEAL_MAIN, "Difference Engine Upgrade", {"Stage": "Negotiation/Review"},
                    MailboxShape(12, scheduled=1),
                    (Person("Charles Wheatstone", "c.wheatstone@telegraph-works.co.uk"),
                     Person("Joseph Clement", "joseph@clement-tools.co.uk")))
        yield thing(CUSTOM_MAIN, "Apollo Guidance", {}, MailboxShape(15, drafts=1),
                    (Person("Margaret Hamilton", "margaret.hamilton@mit-ig.example.edu", timedelta(hours=-5)),))
        yield person(LEAD_CANNOT_PROCESS, "Cass Mailbox", "cass@mailbox-sync.example.com", MailboxShape(0),
                     access="cannot_process", extra={"Company": "Mailbox Sync Ltd"})
        yield person(LEAD_NO_PERMISSION, "Nico Private", "nico@private.example.com", MailboxShape(0),
                     access="no_permission", extra={"Company": "Private Holdings"})

    def _huge(self) -> RecordSpec:
        """CONTACT_HUGE, on a generator of its own: adding it moved no other record. Its emails, like
        every record's, are computed when asked for (tui/sandbox/mailbox.py): it costs nothing until read."""
        rng = random.Random(f"{self.seed}|{CONTACT_HUGE[1]}")
        module, record_id = CONTACT_HUGE
        fields = {"First_Name": "Hugh", "Last_Name": "Archive", "Email": "hugh.archive@zylker.com"}
        return self._record(rng, module, record_id, "Hugh Archive", fields, MailboxShape(HUGE_EMAILS, profile="bulk"),
                            (Person("Hugh Archive", "hugh.archive@zylker.com"),))

    def _ordinary(self, rng: random.Random, number: int, module: str, name: str, extra: dict) -> RecordSpec:
        record_id = str(4150868000001000001 + number * 1000)
        count = rng.randint(0, 20)
        shape = MailboxShape(count, scheduled=rng.choice((0, 0, 1)), drafts=rng.choice((0, 0, 1)))
        domain = rng.choice(_DOMAINS)
        offset = rng.choice(_OFFSETS)
        if module in ("Leads", "Contacts"):
            first, _, last = name.rpartition(" ")
            email = address_for(name, domain)
            fields = {"First_Name": first or None, "Last_Name": last, "Email": email, **extra}
            correspondents = (Person(name, email, offset),)
        else:
            fields = dict(extra)
            people = rng.sample(_CORRESPONDENT_NAMES, rng.randint(1, 2))
            correspondents = tuple(Person(p, address_for(p, domain), offset) for p in people)
        return self._record(rng, module, record_id, name, fields, shape, correspondents)

    def _record(self, rng, module, record_id, name, fields, shape, correspondents, *, access="ok") -> RecordSpec:
        created = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
        modified = created + timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
        owner = USERS[rng.randrange(0, 3)]
        return RecordSpec(module, record_id, name, owner, fields, shape, correspondents, created, modified, access)


def record_json(record: RecordSpec, fields: list[str] | None = None) -> dict[str, object]:
    """A record as Get Records / Search answer it; `fields` picks fields (`id` always comes)."""
    full: dict[str, object] = {
        "id": record.id,
        "Owner": {"name": record.owner.full_name, "id": record.owner.id, "email": record.owner.email},
        "Created_Time": zoho_time(record.created, record.owner.tz),
        "Modified_Time": zoho_time(record.modified, record.owner.tz),
        NAME_FIELD[record.module]: record.name,
        **record.fields,
    }
    if fields is None:
        return full
    return {"id": record.id, **{f: full[f] for f in fields if f in full and f != "id"}}


def zoho_time(moment: datetime, tz: timezone) -> str:
    """ISO-8601 with the offset and no fractions: `2026-03-04T11:55:16+05:30`."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def user_json(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "full_name": user.full_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "status": user.status,
        "confirm": True,
        "role": {"name": user.role, "id": ROLE_IDS[user.role]},
        "profile": {"name": user.profile, "id": PROFILE_IDS[user.profile]},
        "country_locale": "en_GB",
        "locale": "en_GB",
        "language": "en_GB",
        "time_format": "HH:mm",
        "date_format": "MMM d, yyyy",
        "zuid": str(int(user.id) - 4150868000000000000 + 70000000),
        "created_time": "2024-06-03T09:00:00+05:30",
        "Modified_Time": "2025-12-01T10:30:00+05:30",
        "created_by": _user_ref(CURRENT_USER),
        "Modified_By": {"name": CURRENT_USER.full_name, "id": CURRENT_USER_ID,
                        "first_name": CURRENT_USER.first_name, "last_name": CURRENT_USER.last_name},
        "Isonline": user.id == CURRENT_USER_ID,
        "phone": None,
        "mobile": None,
        "website": None,
        "city": None,
        "country": None,
        "signature": None,
        "alias": None,
    }


def org_json() -> dict[str, object]:
    return {
        "id": ORG_ID,
        "company_name": ORG_COMPANY,
        "domain_name": ORG_DOMAIN_NAME,
        "alias": None,
        "primary_email": CURRENT_USER.email,
        "primary_zuid": "70000001",
        "zgid": "808232144",
        "ezgid": "c1a5e2f0d4b3a6978f0e1d2c3b4a5968",
        "zia_portal_id": None,
        "zia_zgid": 808232145,
        "country": "United Kingdom",
        "country_code": "GB",
        "iso_code": "GBP",
        "currency": "Pound Sterling - GBP",
        "currency_symbol": "£",
        "currency_locale": "en_GB",
        "time_zone": "Europe/London",
        "city": "London",
        "street": "1 Dorset Street",
        "state": None,
        "zip": "W1U 4EG",
        "phone": "+44 20 7946 0018",
        "mobile": None,
        "fax": None,
        "website": "https://analytical-engines-demo.example.com",
        "employee_count": "42",
        "description": None,
        "photo_id": None,
        "mc_status": False,
        "gapps_enabled": False,
        "translation_enabled": False,
        "privacy_settings": True,
        "hipaa_compliance_enabled": False,
        "lite_users_enabled": False,
        "deletable_org_account": False,
        "oauth_presence": True,
        "max_per_page": 200,
        "call_icon": "phone",
        "type": "Production",
        "created_time": "2024-06-03T09:00:00+05:30",
        "license_details": {
            "paid": True,
            "paid_type": "enterprise",
            "paid_expiry": "2027-06-03T00:00:00+05:30",
            "users_license_purchased": 10,
            "trial_type": None,
            "trial_expiry": None,
            "trial_action": "",
        },
        "hierarchy_preferences": {"type": "Role_Hierarchy", "strictly_reporting": False},
        "checkin_preferences": {"restricted_event_types": None},
    }


def _user_ref(user: User) -> dict[str, str]:
    return {"name": user.full_name, "id": user.id}


def _default_view(module: ModuleSpec) -> dict[str, object]:
    """The module's "All ..." view, the one custom_view the modules list names."""
    return {
        "id": str(int(module.id) + 87),
        "name": f"All {module.plural_label}",
        "display_value": f"All {module.plural_label}",
        "system_name": "ALLVIEWS",
        "category": "public_views",
        "created_time": None,
        "modified_time": None,
        "last_accessed_time": None,
        "created_by": _user_ref(CURRENT_USER),
        "modified_by": _user_ref(CURRENT_USER),
        "module": {"name": module.api_name, "id": module.id},
        "criteria": {"comparator": None, "field": {"api_name": None, "id": None}, "value": None,
                     "group_operator": None, "group": []},
        "default": True,
        "system_defined": True,
        "locked": False,
        "favorite": None,
        "offline": True,
        "access_type": "public",
        "shared_to": [],
        "fields": [],
        "sort_by": {"id": str(int(module.id) + 91), "api_name": NAME_FIELD.get(module.api_name, "Modified_Time")},
        "sort_order": "desc",
    }


def module_json(module: ModuleSpec) -> dict[str, object]:
    """One entry of GET /settings/modules, with every field Zoho's modules.json requires."""
    display_field = {"api_name": module.display_field, "id": str(int(module.id) + 7)} if module.display_field else None
    editable = module.generated_type == "custom"
    return {
        "id": module.id,
        "api_name": module.api_name,
        "module_name": module.module_name,
        "plural_label": module.plural_label,
        "singular_label": module.singular_label,
        "generated_type": module.generated_type,
        "api_supported": module.api_supported,
        "display_field": display_field,
        "sequence_number": module.sequence_number,
        "description": None,
        "visible": True,
        "visibility": 1,
        "viewable": True,
        "creatable": module.api_supported,
        "editable": editable,
        "deletable": editable,
        "convertable": module.api_name == "Leads",
        "quick_create": module.api_supported,
        "show_as_tab": True,
        "web_link": None,
        "modified_time": "2025-09-14T12:04:31+05:30" if editable else None,
        "modified_by": _user_ref(CURRENT_USER),
        "presence_sub_menu": False,
        "triggers_supported": module.api_supported,
        "feeds_required": False,
        "scoring_supported": module.has_emails,
        "webform_supported": module.has_emails,
        "email_parser_supported": module.has_emails,
        "emailTemplate_support": module.has_emails,
        "inventory_template_supported": module.api_name in ("Quotes", "Invoices", "Sales_Orders", "Purchase_Orders"),
        "filter_supported": module.api_supported,
        "filter_status": module.api_supported,
        "common.search_supported": module.api_supported,
        "recycle_bin_on_delete": True,
        "isBlueprintSupported": module.has_emails,
        "chart_view": False,
        "chart_view_supported": module.api_supported,
        "kanban_view": False,
        "kanban_view_supported": module.api_supported,
        "track_current_data": False,
        "business_card_field_limit": 5,
        "business_card_fields": [],
        "profile_count": 2,
        "profiles": [{"name": name, "id": pid} for name, pid in PROFILE_IDS.items()],
        "parent_module": {},
        "activity_badge": "Enabled" if module.has_emails else None,
        "arguments": [],
        "$field_states": [],
        "$properties": [],
        "$on_demand_properties": [],
        "per_page": 200 if module.api_supported else None,
        "search_layout_fields": [],
        "lookup_field_properties": {"fields": []},
        "related_lists": [],
        "related_list_properties": {"sort_by": {"api_name": None, "id": None}, "fields": [], "sort_order": None},
        "layouts": [],
        "fields": [],
        "custom_view": _default_view(module),
        "zia_view": False,
        "default_mapping_fields": [],
        "layout_associations": [],
    }
