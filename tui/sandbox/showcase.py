"""Hand-placed emails: what the demo record and the hostile record must show, at fixed positions.

The rest of every mailbox is random from the seed; these overrides make sure
the demo's first pages show every kind of email and status, whatever the seed.
Keys are fields of `mailbox.Choices`; position 0 is the newest email.
"""

from __future__ import annotations

from tui.sandbox.corpus import HOSTILE_ATTACHMENT_NAMES, HOSTILE_NEWEST_SUBJECT, HOSTILE_SENDER_NAMES, \
    HOSTILE_SUBJECTS, LONG_SUBJECTS
from tui.sandbox.data import CONTACT_HOSTILE, LARGE_NEWSLETTER_POSITION, LEAD_MAIN, USERS

_CHARLES, _MARY = USERS[1].id, USERS[2].id

# A reply's direction and subject follow its thread (see Mailbox.thread_of), not these overrides.
DEMO: dict[int, dict[str, object]] = {
    0: dict(category="sent", source="mass email", kind="newsletter", newsletter=0, status_kinds=("opened", "clicked")),
    1: dict(category="user", reply=True, text=True, language="en", zia=True),
    2: dict(category="sent", source="individual", kind="letter", text=False, language="en", topic=0, reply=False,
            attachments=(("Quote-Q-2026-0142.pdf", 24_792), ("Mk-II-brochure.pdf", 1_482_113)),
            status_kinds=("opened",)),
    3: dict(category="user", outgoing=False, kind="letter", text=False, language="ja", zia=True, reply=False),
    LARGE_NEWSLETTER_POSITION: dict(category="sent", source="mass email", kind="large_newsletter", newsletter=0,
                                    status_kinds=("delivered",)),
    5: dict(category="user", outgoing=True, kind="letter", text=False, language="emoji", reply=False),
    6: dict(category="user", outgoing=False, kind="letter", text=False, language="ar", reply=False, zia=True),
    7: dict(category="sent", source="individual", kind="letter", text=False, language="he", status_kinds=("opened",)),
    8: dict(category="sent", source="workflow", kind="letter", text=True, language="en", subject=None,
            status_kinds=("sent",)),
    9: dict(category="user", outgoing=False, kind="letter", text=False, language="en", sender_name=None, reply=False),
    10: dict(category="sent", source="individual", kind="letter", text=False, language="en",
             subject=LONG_SUBJECTS[0], status_kinds=("clicked",)),
    11: dict(category="sent", source="individual", kind="letter", text=False, language="en", status_kinds=("bounced",),
              zia=True),
    12: dict(category="sent", source="workflow", kind="letter", text=False, language="en", status_kinds=("delivered",)),
    13: dict(category="sent", source="individual", kind="letter", text=True, language="en", status_kinds=("failed",)),
    14: dict(category="scheduled", source="individual", kind="letter", text=False, language="en", topic=9),
    15: dict(category="draft", source="individual", kind="letter", text=False, language="en", topic=11),
    16: dict(category="user", outgoing=True, kind="letter", text=False, language="en", topic=11, reply=False,
             attachments=(("site-photos.zip", 7_340_155), (HOSTILE_ATTACHMENT_NAMES[0], 1_337),
                          (HOSTILE_ATTACHMENT_NAMES[3], 48_213), (HOSTILE_ATTACHMENT_NAMES[4], 2_048),
                          (HOSTILE_ATTACHMENT_NAMES[10], 120_400))),
    17: dict(category="sent", source="individual", kind="letter", text=False, language="en", cc=True, linked=True,
             second_recipient=True, status_kinds=("opened",), open_count=12),
    18: dict(category="user", reply=True, text=False),
    19: dict(category="user", reply=True, text=True),
    20: dict(category="sent", source="individual", kind="letter", text=False, language="en", topic=1, reply=False,
             status_kinds=("opened",)),
    21: dict(category="user", owner_id=_CHARLES, outgoing=True, kind="letter", language="en", reply=False),
    22: dict(category="user", owner_id=_MARY, outgoing=False, kind="letter", language="en", reply=False),
    23: dict(category="user", outgoing=False, kind="letter", text=False, language="fr", reply=False),
    24: dict(category="sent", source="individual", kind="letter", text=False, language="zh", status_kinds=("sent",)),
    25: dict(category="user", outgoing=False, kind="letter", text=True, language="de", reply=False),
    26: dict(category="sent", source="mass email", kind="newsletter", newsletter=1, text=True,
             status_kinds=("bounced",)),
    27: dict(category="sent", source="workflow", kind="letter", language="en", subject=LONG_SUBJECTS[1],
             status_kinds=("opened", "clicked")),
}


def _hostile() -> dict[int, dict[str, object]]:
    """Grace Hopper's mailbox: the newest subject is a Textual action link, the others hostile in other ways."""
    emails: dict[int, dict[str, object]] = {
        0: dict(category="user", outgoing=False, kind="hostile", text=False, subject=HOSTILE_NEWEST_SUBJECT,
                reply=False, sender_name=HOSTILE_SENDER_NAMES[0]),
    }
    for i, subject in enumerate(HOSTILE_SUBJECTS, start=1):
        incoming = i % 2 == 1
        email: dict[str, object] = dict(category="user" if incoming else "sent", outgoing=not incoming, kind="hostile",
                                        text=i % 3 == 0, subject=subject, reply=False)
        if incoming:
            email["sender_name"] = HOSTILE_SENDER_NAMES[(i // 2) % len(HOSTILE_SENDER_NAMES)]
        else:
            email["source"] = "individual"
            email["status_kinds"] = ("opened",)
        if i % 4 == 2:
            names = HOSTILE_ATTACHMENT_NAMES[(i // 4) * 3 % len(HOSTILE_ATTACHMENT_NAMES):][:3]
            email["attachments"] = tuple((name, 900 + 311 * k) for k, name in enumerate(names))
        emails[i] = email
    # Every hostile attachment name appears at least once.
    emails[len(HOSTILE_SUBJECTS) + 1] = dict(
        category="user", outgoing=False, kind="hostile", text=False, reply=False,
        attachments=tuple((name, 512 + 97 * k) for k, name in enumerate(HOSTILE_ATTACHMENT_NAMES)),
    )
    return emails


SHOWCASES: dict[tuple[str, str], dict[int, dict[str, object]]] = {
    LEAD_MAIN: DEMO,
    CONTACT_HOSTILE: _hostile(),
}
