"""Fixed content of the demo: two FICTIONAL meeting places, their names, partners and activities.

Modelled on the two initiatives studied in KIS 2019 (an evening/weekend place in a city district,
and a daytime place next to a senior flat), with invented names. Nothing here is about a real
person. `demo.py` turns this content into data with a seeded random generator.

Names come in the scripts people actually write them in (Arabic, Ge'ez for Tigrinya, Farsi in
Arabic script, Latin). A "background" below only picks plausible names and languages while the
plan is made; it is never stored (no nationality, ever — product.md, privacy rule 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- Places -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceSpec:
    slug: str
    name: str
    district: str
    address: str
    languages: tuple[str, ...]
    tagline: dict[str, str]
    opening_hours: dict[str, str]
    members: int  # at scale 1.0
    newcomer_share: float
    # background → weight among newcomers (only used to pick names and languages)
    backgrounds: dict[str, float]
    newcomer_women_share: float
    local_kind: str  # "young" or "senior"
    local_women_share: float
    partners: tuple[tuple[str, str], ...]  # (name, kind)
    # Share of newcomers brought by a partner organisation, and by another member.
    partner_referral_share: float
    member_referral_share: float
    # Available day parts (the place's opening hours shape when people come).
    day_parts: tuple[str, ...]


PLACES: tuple[PlaceSpec, ...] = (
    PlaceSpec(
        slug="buurtkamer",
        name="De Buurtkamer",
        district="Kanaalbuurt",
        address="Buurtplein 4, Utrecht",
        languages=("nl", "en", "ar", "ti"),
        tagline={
            "nl": "De huiskamer van de Kanaalbuurt: voor nieuwe en oude buren.",
            "en": "The living room of the Kanaalbuurt: for new and old neighbours.",
            "ar": "غرفة الجلوس في حي القناة: للجيران الجدد والقدامى.",
        },
        opening_hours={
            "nl": "Maandag tot vrijdag 18:00–22:30, zaterdag en zondag 11:00–18:00",
            "en": "Monday to Friday 18:00–22:30, Saturday and Sunday 11:00–18:00",
            "ar": "من الاثنين إلى الجمعة 18:00–22:30، السبت والأحد 11:00–18:00",
        },
        members=265,
        newcomer_share=0.5,
        backgrounds={"syrian": 0.42, "eritrean": 0.33, "iranian": 0.08, "afghan": 0.1,
                     "sudanese": 0.07},
        # Early on mostly Syrian men came; women remain harder to reach (KIS 2019 §4).
        newcomer_women_share=0.35,
        local_kind="young",
        local_women_share=0.72,
        partners=(
            ("Opvanglocatie Kanaalweg", "reception"),
            ("Stichting Welkom Utrecht", "charity"),
            ("Gemeente Utrecht, team statushouders", "municipality"),
            ("Taalhuis Kanaalbuurt", "school"),
        ),
        partner_referral_share=0.35,
        member_referral_share=0.35,
        day_parts=("evening",),
    ),
    PlaceSpec(
        slug="trefpunt",
        name="Het Trefpunt",
        district="Binnenstad",
        address="Lindeplein 7, Eindhoven",
        languages=("nl", "en", "ar"),
        tagline={
            "nl": "Een veilige plek om te eten, te leren en buren te ontmoeten, naast de seniorenflat.",
            "en": "A safe place to eat, learn and meet neighbours, next to the senior flat.",
            "ar": "مكان آمن للأكل والتعلّم ولقاء الجيران، بجانب مبنى كبار السن.",
        },
        opening_hours={
            "nl": "Maandag tot zaterdag 08:00–20:00",
            "en": "Monday to Saturday 08:00–20:00",
            "ar": "من الاثنين إلى السبت 08:00–20:00",
        },
        members=175,
        newcomer_share=0.55,
        backgrounds={"syrian": 0.2, "eritrean": 0.25, "iranian": 0.12, "afghan": 0.18,
                     "sudanese": 0.25},
        newcomer_women_share=0.2,
        local_kind="senior",
        local_women_share=0.65,
        partners=(
            ("Gemeente Eindhoven, loket nieuwkomers", "municipality"),
            ("Stichting Onderdak Eindhoven", "charity"),
            ("Inloophuis De Overloop", "other"),
        ),
        partner_referral_share=0.3,
        member_referral_share=0.4,
        day_parts=("morning", "afternoon"),
    ),
)

DEMO_SLUGS: tuple[str, ...] = tuple(p.slug for p in PLACES)


# --- Names ------------------------------------------------------------------------------------
# (women, men) per script. Latin transliterations are how many people write their own name
# on a form in the Netherlands; the native script is how many others do.

ARABIC_NAMES = (
    ("سارة", "فاطمة", "ريم", "لينا", "نور", "هبة", "رنا", "ديما", "مريم", "آية", "ياسمين",
     "سلمى", "رهف", "جود", "هالة", "أمل", "سمر", "دعاء"),
    ("محمد", "أحمد", "خالد", "عمر", "يوسف", "سامر", "باسل", "طارق", "مازن", "وسيم", "فراس",
     "حسن", "علي", "إبراهيم", "عبد الله", "محمود", "مصطفى", "أنس", "بلال", "حمزة"),
)
GEEZ_NAMES = (
    ("ሰላም", "ሳባ", "ሩታ", "ፊዮሪ", "ሉላ", "ኤደን", "ሃና", "ሚና", "ትዕግስቲ", "ዓወት", "ለተ", "ሙና"),
    ("ዮናስ", "ዳዊት", "ተስፋይ", "ሙሴ", "ኣማኑኤል", "ሰመረ", "ክብሮም", "ሄኖክ", "ብርሃነ", "ፍሰሃ",
     "ሚካኤል", "ኣብርሃም", "ሳምሶን", "ሮቤል"),
)
FARSI_NAMES = (
    ("مریم", "زهرا", "فاطمه", "نرگس", "شیرین", "پریسا", "سحر", "لیلا", "مینا", "گلاله"),
    ("علی", "رضا", "حسین", "مهدی", "امید", "فرهاد", "جواد", "مسعود", "بهرام", "سهراب",
     "کریم", "نوید"),
)
TRANSLIT_NAMES = {
    "syrian": (("Rasha", "Lina", "Nour", "Hiba", "Rana", "Yasmin", "Salma", "Dima"),
               ("Mohammed", "Ahmad", "Khaled", "Omar", "Yousef", "Samer", "Basel", "Rami",
                "Tarek", "Bilal")),
    "sudanese": (("Amna", "Fatima", "Samira", "Hawa", "Asma"),
                 ("Mohamed", "Osman", "Abdelrahman", "Mustafa", "Hamza", "Adam")),
    "eritrean": (("Selam", "Saba", "Senait", "Helen", "Eden", "Ruth", "Lula"),
                 ("Yonas", "Dawit", "Tesfay", "Amanuel", "Semere", "Kibrom", "Henok",
                  "Filmon", "Robel")),
    "iranian": (("Maryam", "Shirin", "Parisa", "Sahar", "Nasrin"),
                ("Reza", "Omid", "Farhad", "Navid", "Babak")),
    "afghan": (("Zahra", "Nargis", "Mina", "Farzana", "Laila"),
               ("Ali", "Hamid", "Javad", "Mustafa", "Ahmad", "Shafiq", "Wahid")),
}
DUTCH_YOUNG = (
    ("Anouk", "Lotte", "Sanne", "Femke", "Iris", "Eva", "Julia", "Sophie", "Lisa", "Noor",
     "Fleur", "Roos", "Marloes", "Esther", "Maartje", "Laura", "Emma", "Tessa", "Jasmijn",
     "Merel", "Floor", "Ilse", "Nina", "Charlotte", "Hannah", "Lieke", "Naima", "Yasmina",
     "Fatma", "Priya", "Elif"),
    ("Joost", "Bram", "Thijs", "Daan", "Ruben", "Sem", "Tim", "Jeroen", "Wouter", "Koen",
     "Lucas", "Niels", "Mehmet", "Youssef", "Stijn", "Marco"),
)
DUTCH_SENIOR = (
    ("Riet", "Annie", "Truus", "Gerda", "Corrie", "Ria", "Willy", "Mien", "Joke", "Els",
     "Tiny", "Nel", "Marietje", "Door", "Hennie", "Lenie", "Ineke", "Ans", "Ingrid"),
    ("Henk", "Jan", "Piet", "Kees", "Wim", "Gerrit", "Theo", "Harrie", "Frans", "Toon",
     "Sjef", "Jos", "Ad", "Martien"),
)
# Initials used to tell two people with the same first name apart, per script.
INITIALS = {
    "latin": "ABCDEFGHJKLMNOPRSTVWZ",
    "arabic": "ابتحدرسعفكلمنهي",
    "farsi": "ابپتجحدرسشفکگلمنوهی",
    "geez": "ሀለመረሰበተነከወዘየደገጸፈ",
}

# Which native script (with its share against Latin transliteration) per background.
BACKGROUND_SCRIPT = {
    "syrian": ("arabic", 0.7),
    "sudanese": ("arabic", 0.65),
    "eritrean": ("geez", 0.7),
    "iranian": ("farsi", 0.6),
    "afghan": ("farsi", 0.65),
}
NATIVE_NAMES = {"arabic": ARABIC_NAMES, "geez": GEEZ_NAMES, "farsi": FARSI_NAMES}

# Home languages per background: (language, level, probability).
BACKGROUND_LANGUAGES = {
    "syrian": (("ar", "fluent", 1.0), ("ku", "fluent", 0.12), ("en", "basic", 0.45),
               ("tr", "basic", 0.15)),
    "sudanese": (("ar", "fluent", 1.0), ("en", "good", 0.5)),
    "eritrean": (("ti", "fluent", 1.0), ("am", "good", 0.35), ("ar", "basic", 0.25),
                 ("en", "basic", 0.45)),
    "iranian": (("fa", "fluent", 1.0), ("en", "good", 0.6), ("ku", "fluent", 0.08)),
    "afghan": (("fa", "fluent", 1.0), ("ps", "good", 0.35), ("en", "basic", 0.35)),
}


# --- Activities -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivitySpec:
    key: str
    place: str
    kind: str  # regular | project | one_off
    format: str
    title: dict[str, str]
    description: dict[str, str]
    rrule: str
    start_time: tuple[int, int]
    duration: int
    weeks_from_today: int  # negative: it started that many weeks ago
    language_needed: str = "none"
    languages_spoken: tuple[str, ...] = ("nl",)
    cost: str = "free"
    cost_cents: int | None = None
    audience: str = "open"
    capacity: int | None = None
    room: str = ""
    # Who organises: the talent the organisers should have, and who leads.
    organiser_talent: str = "organising"
    lead: str = "local"  # the group of the first organiser
    # Projects
    common_goal: dict[str, str] = field(default_factory=dict)
    planned_sessions: int | None = None
    team_size: int | None = None
    # Interests that make a member more likely to sign up.
    draws: tuple[str, ...] = ()
    # Share of newcomers among sign-ups (the mix differs per activity, KIS 2019 §4).
    newcomer_pull: float = 0.5
    # One-offs organised by someone on the volunteer path (their first time organising).
    path: bool = False
    # Announced by one organiser who is still looking for a second (an open need the
    # coordinator's volunteer page suggests people for).
    solo: bool = False


def _t(nl: str, en: str, ar: str) -> dict[str, str]:
    return {"nl": nl, "en": en, "ar": ar}


ACTIVITIES: tuple[ActivitySpec, ...] = (
    # ---- De Buurtkamer: evenings and weekends -------------------------------------------
    ActivitySpec(
        key="taalcafe-nl", place="buurtkamer", kind="regular", format="language_cafe",
        title=_t("Nederlands taalcafé", "Dutch language café", "مقهى اللغة الهولندية"),
        description=_t(
            "Oefen Nederlands in kleine groepjes met een taalcoach uit de buurt. Elk niveau is "
            "welkom, ook als je net begint.",
            "Practise Dutch in small groups with a language coach from the neighbourhood. Every "
            "level is welcome, also if you are just starting.",
            "تدرّب على اللغة الهولندية في مجموعات صغيرة مع مدرّب لغة من الحي. كل المستويات مرحّب "
            "بها، حتى لو كنت مبتدئاً.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=TU", start_time=(19, 0), duration=120, weeks_from_today=-78,
        languages_spoken=("nl", "en", "ar", "ti"), room="Grote tafel",
        organiser_talent="teaching_language", lead="local", draws=("languages",),
        newcomer_pull=0.58,
    ),
    ActivitySpec(
        key="taalcafe-ar", place="buurtkamer", kind="regular", format="language_cafe",
        title=_t("Arabisch taalcafé", "Arabic language café", "مقهى اللغة العربية"),
        description=_t(
            "Leer je eerste woorden Arabisch van buren die het als moedertaal spreken. Met thee, "
            "en zonder huiswerk.",
            "Learn your first words of Arabic from neighbours who speak it as their mother "
            "tongue. With tea, and without homework.",
            "تعلّم كلماتك الأولى بالعربية من جيران يتحدثونها كلغة أم. مع الشاي، ومن دون واجبات "
            "منزلية.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=MO", start_time=(19, 0), duration=90, weeks_from_today=-72,
        languages_spoken=("ar", "nl", "en"), room="Grote tafel",
        organiser_talent="teaching_language", lead="newcomer", draws=("languages",),
        newcomer_pull=0.42,
    ),
    ActivitySpec(
        key="koffie", place="buurtkamer", kind="regular", format="coffee_games",
        title=_t("Bunna & backgammon: koffie- en spelletjesavond",
                 "Bunna & backgammon: coffee and games night",
                 "بُنّا وطاولة: سهرة قهوة وألعاب"),
        description=_t(
            "Eritrese bunna en Syrische koffie, tavla, kaarten en domino. Je hoeft geen "
            "Nederlands te spreken om mee te spelen.",
            "Eritrean bunna and Syrian coffee, backgammon, cards and dominoes. You do not need "
            "to speak Dutch to play.",
            "قهوة إريترية وقهوة سورية، طاولة زهر وورق ودومينو. لا تحتاج إلى الهولندية لتلعب معنا.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=FR", start_time=(19, 30), duration=180, weeks_from_today=-78,
        languages_spoken=("ar", "ti", "nl", "en"), room="Huiskamer",
        organiser_talent="games", lead="newcomer", draws=("games", "food"), newcomer_pull=0.8,
    ),
    ActivitySpec(
        key="buurtdiner", place="buurtkamer", kind="regular", format="shared_dinner",
        title=_t("Buurtdiner", "Neighbourhood dinner", "عشاء الحي"),
        description=_t(
            "Eén keer per maand koken buren voor buren. Schuif aan, ook als je niemand kent: we "
            "zetten je naast iemand die je nog niet kent.",
            "Once a month neighbours cook for neighbours. Join in even if you know nobody: we "
            "will seat you next to someone you have not met yet.",
            "مرة في الشهر يطبخ الجيران للجيران. انضم إلينا حتى لو لم تكن تعرف أحداً: سنجلسك "
            "بجانب شخص لم تلتقِ به بعد.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=1SU", start_time=(18, 0), duration=180, weeks_from_today=-78,
        languages_spoken=("nl", "en", "ar", "ti"), cost="pay_what_you_can", capacity=40,
        room="Huiskamer en keuken", organiser_talent="cooking", lead="local",
        draws=("food", "neighbourhood"), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="opdeplek", place="buurtkamer", kind="regular", format="music_theatre",
        title=_t("Op de Plek: geïmproviseerde muziek en theater",
                 "On the Spot: improvised music and theatre",
                 "في المكان: موسيقى ومسرح ارتجالي"),
        description=_t(
            "Neem je instrument, je stem of alleen jezelf mee. Niemand hoeft iets te kunnen; "
            "muziek en spel hebben geen vertaling nodig.",
            "Bring your instrument, your voice or just yourself. Nobody has to be good at "
            "anything; music and play need no translation.",
            "أحضر آلتك الموسيقية أو صوتك أو نفسك فقط. لا أحد يحتاج إلى أن يكون محترفاً؛ "
            "الموسيقى واللعب لا يحتاجان إلى ترجمة.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=-1SA", start_time=(20, 0), duration=150, weeks_from_today=-76,
        languages_spoken=("nl", "en"), room="Huiskamer", organiser_talent="music", lead="local",
        draws=("music", "theatre"), newcomer_pull=0.25,
    ),
    ActivitySpec(
        key="aantafel", place="buurtkamer", kind="regular", format="cooking",
        title=_t("Aan Tafel: samen koken en eten", "At the Table: cooking and eating together",
                 "على المائدة: نطبخ ونأكل معاً"),
        description=_t(
            "Elke keer kiest iemand anders een gerecht uit de eigen keuken en kookt het samen "
            "met de groep.",
            "Each time someone else picks a dish from their own kitchen and cooks it with the "
            "group.",
            "في كل مرة يختار شخص مختلف طبقاً من مطبخه ويطبخه مع المجموعة.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=2SA", start_time=(16, 0), duration=240, weeks_from_today=-74,
        languages_spoken=("nl", "ar", "ti", "en"), cost="pay_what_you_can", capacity=14,
        room="Keuken", organiser_talent="cooking", lead="newcomer", draws=("food",),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="zingen", place="buurtkamer", kind="regular", format="music_theatre",
        title=_t("Nederlandse liedjes zingen", "Singing Dutch songs", "نغني أغاني هولندية"),
        description=_t(
            "Van kinderliedjes tot smartlappen: we zingen samen, met de tekst op groot papier. "
            "Zo leer je de taal vanzelf.",
            "From children's songs to Dutch tearjerkers: we sing together, with the lyrics on "
            "big sheets. You pick up the language along the way.",
            "من أغاني الأطفال إلى الأغاني الشعبية: نغني معاً والكلمات مكتوبة بخط كبير. هكذا "
            "تتعلّم اللغة دون أن تشعر.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=3WE", start_time=(19, 30), duration=90, weeks_from_today=-66,
        language_needed="basic_dutch", languages_spoken=("nl",), room="Huiskamer",
        organiser_talent="singing", lead="local", draws=("music", "languages"),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="film", place="buurtkamer", kind="regular", format="film",
        title=_t("Filmavond", "Film night", "ليلة السينما"),
        description=_t(
            "Een film met ondertiteling, gekozen door bezoekers, en daarna napraten met thee.",
            "A subtitled film chosen by visitors, then talking it over with tea.",
            "فيلم مع ترجمة يختاره الزوار، ثم نتحدث عنه مع الشاي.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=-1TH", start_time=(20, 0), duration=150,
        weeks_from_today=-60, languages_spoken=("nl", "en", "ar"), room="Huiskamer",
        organiser_talent="photography", lead="newcomer", draws=("theatre",),
        newcomer_pull=0.45,
    ),
    ActivitySpec(
        key="vrouwencafe", place="buurtkamer", kind="regular", format="womens_cafe",
        title=_t("Vrouwencafé", "Women's café", "مقهى النساء"),
        description=_t(
            "Een middag alleen voor vrouwen: thee, verhalen, handwerk en soms een workshop. "
            "Kinderen mogen mee.",
            "An afternoon for women only: tea, stories, handicrafts and sometimes a workshop. "
            "Children are welcome.",
            "بعد ظهر للنساء فقط: شاي وحكايات وأشغال يدوية وأحياناً ورشة عمل. الأطفال مرحّب بهم.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=1SA", start_time=(14, 0), duration=150, weeks_from_today=-70,
        languages_spoken=("nl", "ar", "ti", "fa"), audience="women", room="Huiskamer",
        organiser_talent="crafts", lead="newcomer", draws=("crafts", "family"),
        newcomer_pull=0.6,
    ),
    ActivitySpec(
        key="voetbal", place="buurtkamer", kind="regular", format="sport",
        title=_t("Zondagvoetbal in het park", "Sunday football in the park",
                 "كرة القدم يوم الأحد في الحديقة"),
        description=_t(
            "Gemengde teams, elk niveau. Bij regen doen we spelletjes binnen.",
            "Mixed teams, any level. When it rains we play games indoors.",
            "فرق مختلطة ولكل المستويات. عندما تمطر نلعب ألعاباً في الداخل.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SU", start_time=(11, 0), duration=90, weeks_from_today=-52,
        languages_spoken=("nl", "en", "ar", "ti"), room="Park naast de Buurtkamer",
        organiser_talent="sport", lead="newcomer", draws=("sport",), newcomer_pull=0.6,
    ),
    # Projects: a fixed mixed group, six to eight weekly two-hour sessions (Mercken 2002).
    ActivitySpec(
        key="fotografie", place="buurtkamer", kind="project", format="creative_project",
        title=_t("Documentaire fotografie: onze buurt", "Documentary photography: our "
                 "neighbourhood", "التصوير الوثائقي: حيّنا"),
        description=_t(
            "Acht weken lang fotograferen we in tweetallen het leven in de buurt, van de markt "
            "tot de moskee en het kanaal.",
            "For eight weeks we photograph life in the neighbourhood in pairs, from the market "
            "to the mosque and the canal.",
            "لمدة ثمانية أسابيع نصوّر الحياة في الحي في مجموعات من شخصين، من السوق إلى المسجد "
            "والقناة.",
        ),
        common_goal=_t("Een tentoonstelling in de Buurtkamer",
                       "An exhibition in the Buurtkamer", "معرض صور في غرفة الحي"),
        rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=8", start_time=(19, 0), duration=120,
        weeks_from_today=-70, languages_spoken=("nl", "en", "ar"), capacity=12,
        planned_sessions=8, team_size=10, room="Huiskamer", organiser_talent="photography",
        lead="newcomer", draws=("art",), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="meubels", place="buurtkamer", kind="project", format="creative_project",
        title=_t("Meubelontwerp: de nieuwe leestafel", "Furniture design: the new reading table",
                 "تصميم الأثاث: طاولة القراءة الجديدة"),
        description=_t(
            "Samen ontwerpen, zagen en schuren we een grote tafel voor de huiskamer. Geen "
            "ervaring nodig.",
            "Together we design, saw and sand a large table for the living room. No experience "
            "needed.",
            "نصمّم وننشر ونصقل معاً طاولة كبيرة لغرفة الجلوس. لا حاجة إلى خبرة.",
        ),
        common_goal=_t("Een zelfgemaakte leestafel voor de Buurtkamer",
                       "A home-made reading table for the Buurtkamer",
                       "طاولة قراءة من صنعنا لغرفة الحي"),
        rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=6", start_time=(10, 0), duration=120,
        weeks_from_today=-20, languages_spoken=("nl", "en", "ar", "ti"), capacity=10,
        planned_sessions=6, team_size=10, room="Werkplaats", organiser_talent="woodwork",
        lead="local", draws=("crafts", "art"), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="borduren", place="buurtkamer", kind="project", format="creative_project",
        title=_t("Borduurproject: draden van thuis", "Embroidery project: threads from home",
                 "مشروع التطريز: خيوط من الوطن"),
        description=_t(
            "Vijftien vrouwen borduren samen patronen uit hun eigen thuis. Alleen voor vrouwen.",
            "Fifteen women embroider patterns from their own homes together. Women only.",
            "خمس عشرة امرأة يطرّزن معاً نقوشاً من بيوتهن. للنساء فقط.",
        ),
        common_goal=_t("Een groot wandkleed voor de Buurtkamer",
                       "A large wall hanging for the Buurtkamer",
                       "سجادة حائط كبيرة لغرفة الحي"),
        rrule="FREQ=WEEKLY;BYDAY=TH;COUNT=8", start_time=(14, 0), duration=120,
        weeks_from_today=-3, languages_spoken=("nl", "ar", "ti", "fa"), audience="women",
        capacity=15, planned_sessions=8, team_size=15, room="Huiskamer",
        organiser_talent="sewing", lead="newcomer", draws=("crafts",), newcomer_pull=0.66,
    ),
    # ---- Het Trefpunt: daytime, next to the senior flat -----------------------------------
    ActivitySpec(
        key="vrijdaglunch", place="trefpunt", kind="regular", format="shared_dinner",
        title=_t("Vrijdaglunch met de buren van de flat", "Friday lunch with the neighbours "
                 "from the flat", "غداء الجمعة مع جيران المبنى"),
        description=_t(
            "Bezoekers koken, de bewoners van de seniorenflat hiernaast schuiven aan. Wie geen "
            "geld heeft, eet gratis mee.",
            "Visitors cook, the residents of the senior flat next door join in. Whoever has no "
            "money eats for free.",
            "الزوار يطبخون وسكان مبنى كبار السن المجاور ينضمون إلى المائدة. من ليس لديه مال "
            "يأكل مجاناً.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=FR", start_time=(12, 0), duration=90, weeks_from_today=-78,
        languages_spoken=("nl", "ar", "en"), cost="pay_what_you_can", capacity=30,
        room="Eetzaal", organiser_talent="cooking", lead="newcomer",
        draws=("food", "neighbourhood"), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="fietsen", place="trefpunt", kind="regular", format="workshop",
        title=_t("Fietsenwerkplaats", "Bike repair workshop", "ورشة تصليح الدراجات"),
        description=_t(
            "Leer je fiets zelf te repareren van een buurman die er veertig jaar aan sleutelde. "
            "Gereedschap is er.",
            "Learn to fix your own bike from a neighbour who has been tinkering with bikes for "
            "forty years. Tools are provided.",
            "تعلّم تصليح دراجتك بنفسك من جار يصلح الدراجات منذ أربعين عاماً. الأدوات متوفرة.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=WE", start_time=(10, 0), duration=120, weeks_from_today=-76,
        languages_spoken=("nl", "en"), capacity=8, room="Schuur",
        organiser_talent="bike_repair", lead="local", draws=("technology", "sport"),
        newcomer_pull=0.7,
    ),
    ActivitySpec(
        key="naaien", place="trefpunt", kind="regular", format="workshop",
        title=_t("Naaiatelier", "Sewing studio", "مشغل الخياطة"),
        description=_t(
            "Kleding herstellen, iets nieuws maken of leren naaien op de machine, samen met de "
            "dames van de flat.",
            "Mend clothes, make something new or learn to use the sewing machine, together with "
            "the ladies from the flat.",
            "تصليح الملابس أو خياطة شيء جديد أو تعلّم استخدام آلة الخياطة، مع سيدات المبنى "
            "المجاور.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=TU", start_time=(14, 0), duration=120, weeks_from_today=-74,
        languages_spoken=("nl", "ar", "fa"), capacity=10, room="Atelier",
        organiser_talent="sewing", lead="local", draws=("crafts",), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="keukentafel", place="trefpunt", kind="regular", format="language_cafe",
        title=_t("Nederlands oefenen aan de keukentafel", "Practising Dutch at the kitchen "
                 "table", "نتدرّب على الهولندية حول طاولة المطبخ"),
        description=_t(
            "Met een kop koffie oefenen we gewone gesprekken: bij de dokter, in de winkel, met "
            "de buren.",
            "Over a cup of coffee we practise everyday conversations: at the doctor's, in the "
            "shop, with the neighbours.",
            "مع فنجان قهوة نتدرّب على أحاديث الحياة اليومية: عند الطبيب، في المتجر، مع الجيران.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=MO,TH", start_time=(10, 0), duration=90, weeks_from_today=-78,
        languages_spoken=("nl", "en", "ar", "fa", "ti"), room="Keuken",
        organiser_talent="teaching_language", lead="local", draws=("languages",),
        newcomer_pull=0.58,
    ),
    ActivitySpec(
        key="bewegen", place="trefpunt", kind="regular", format="sport",
        title=_t("Bewegen met de buren", "Exercise with the neighbours", "رياضة مع الجيران"),
        description=_t(
            "Rustige gymles op stoelen en op de mat, voor alle leeftijden. Jong en oud doen mee.",
            "Gentle exercise on chairs and on the mat, for all ages. Young and old take part.",
            "تمارين هادئة على الكراسي وعلى البساط، لكل الأعمار. الصغار والكبار يشاركون معاً.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=WE", start_time=(15, 0), duration=60, weeks_from_today=-56,
        languages_spoken=("nl",), room="Zaal", organiser_talent="sport", lead="newcomer",
        draws=("sport",), newcomer_pull=0.4,
    ),
    ActivitySpec(
        key="samenkoken", place="trefpunt", kind="regular", format="cooking",
        title=_t("Samen koken", "Cooking together", "نطبخ معاً"),
        description=_t(
            "We koken de avondmaaltijd van het huis. Elke week leert iemand de anderen een recept.",
            "We cook the evening meal for the house. Each week someone teaches the others a "
            "recipe.",
            "نطبخ وجبة العشاء للبيت. في كل أسبوع يعلّم أحدنا الآخرين وصفة.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=TH", start_time=(16, 0), duration=150, weeks_from_today=-66,
        languages_spoken=("nl", "ar", "ti", "fa"), capacity=12, room="Keuken",
        organiser_talent="cooking", lead="newcomer", draws=("food",), newcomer_pull=0.6,
    ),
    ActivitySpec(
        key="herinneringen", place="trefpunt", kind="regular", format="reminiscence",
        title=_t("Verhalen van vroeger: herinneringsmiddag", "Stories from the past: an "
                 "afternoon of memories", "حكايات من الماضي: بعد ظهر الذكريات"),
        description=_t(
            "Rond een thema (een koekje, een lied, een foto van je eerste fiets) vertellen we "
            "elkaar wat we ons herinneren.",
            "Around a theme (a biscuit, a song, a photo of your first bike) we tell each other "
            "what we remember.",
            "حول موضوع ما (قطعة بسكويت، أغنية، صورة دراجتك الأولى) يحكي كل منا ما يتذكّره.",
        ),
        rrule="FREQ=MONTHLY;BYDAY=2SA", start_time=(14, 0), duration=120, weeks_from_today=-62,
        languages_spoken=("nl", "ar"), room="Zaal", organiser_talent="theatre", lead="local",
        draws=("history",), newcomer_pull=0.4,
    ),
    ActivitySpec(
        key="verhalen", place="trefpunt", kind="project", format="creative_project",
        title=_t("Verhalen aan tafel: een dinervoorstelling", "Stories at the table: a dinner "
                 "show", "حكايات على المائدة: عرض مسرحي مع العشاء"),
        description=_t(
            "Zeven weken lang maken nieuwkomers en buren samen een voorstelling van hun eigen "
            "verhalen, gespeeld tijdens een diner.",
            "For seven weeks newcomers and neighbours make a show out of their own stories, "
            "played during a dinner.",
            "لمدة سبعة أسابيع يصنع القادمون الجدد والجيران معاً عرضاً من حكاياتهم الخاصة، "
            "يُقدَّم خلال عشاء.",
        ),
        common_goal=_t("Een dinervoorstelling voor de buurt", "A dinner show for the "
                       "neighbourhood", "عرض مسرحي مع العشاء لأهل الحي"),
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=7", start_time=(14, 0), duration=120,
        weeks_from_today=4, languages_spoken=("nl", "en", "ar"), capacity=10,
        planned_sessions=7, team_size=10, room="Zaal", organiser_talent="theatre",
        lead="local", draws=("theatre", "history"), newcomer_pull=0.5,
    ),
)

# ---- Added for the 18-month history (part 2): more projects, festive days, first-time organisers.
# Projects bind people (KIS 2019 §3.5): the history lets some people arrive through one.
# Festive days draw a crowd with many walk-in guests. The small one-offs marked `path` are
# organised by a visitor on the volunteer path, together with an experienced organiser.
MORE_ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec(
        key="muurschildering", place="buurtkamer", kind="project", format="creative_project",
        title=_t("Muurschildering: de buurt op de muur", "Mural: the neighbourhood on the wall",
                 "جدارية: الحيّ على الجدار"),
        description=_t(
            "Acht zaterdagen ontwerpen en schilderen we samen een muur naast de Buurtkamer, met "
            "wat iedereen van thuis meebrengt.",
            "For eight Saturdays we design and paint a wall next to the Buurtkamer together, "
            "with what everyone brings from home.",
            "لمدة ثمانية أيام سبت نصمّم ونرسم معاً جداراً بجانب غرفة الحي، بما يحمله كل منا من "
            "بيته.",
        ),
        common_goal=_t("Een muurschildering die de hele buurt ziet",
                       "A mural the whole neighbourhood can see", "جدارية يراها الحي كله"),
        rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=8", start_time=(13, 0), duration=120,
        weeks_from_today=-40, languages_spoken=("nl", "en", "ar", "ti"), capacity=12,
        planned_sessions=8, team_size=10, room="Binnenplaats", organiser_talent="drawing",
        lead="local", draws=("art",), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="moestuin", place="trefpunt", kind="project", format="creative_project",
        title=_t("Samen tuinieren: de moestuin van de flat", "Gardening together: the flat's "
                 "vegetable garden", "نزرع معاً: حديقة خضار المبنى"),
        description=_t(
            "Acht weken leggen we samen met de bewoners van de flat een moestuin aan, van zaaien "
            "tot de eerste oogst.",
            "For eight weeks we lay out a vegetable garden with the residents of the flat, from "
            "sowing to the first harvest.",
            "لمدة ثمانية أسابيع نزرع مع سكان المبنى حديقة خضار، من البذر حتى أول حصاد.",
        ),
        common_goal=_t("Een moestuin met bakken voor iedereen", "A vegetable garden with beds "
                       "for everyone", "حديقة خضار فيها أحواض للجميع"),
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=8", start_time=(10, 0), duration=120,
        weeks_from_today=-60, languages_spoken=("nl", "ar", "fa"), capacity=12,
        planned_sessions=8, team_size=10, room="Tuin achter de flat",
        organiser_talent="gardening", lead="local", draws=("nature", "food"),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="kookboek", place="trefpunt", kind="project", format="creative_project",
        title=_t("Het kookboek van het Trefpunt", "The Trefpunt cookbook", "كتاب طبخ الملتقى"),
        description=_t(
            "Zeven weken koken, proeven, fotograferen en opschrijven: recepten van de bewoners "
            "en van de bezoekers, in één boek.",
            "Seven weeks of cooking, tasting, photographing and writing down: recipes of the "
            "residents and of the visitors, in one book.",
            "سبعة أسابيع من الطبخ والتذوّق والتصوير والكتابة: وصفات السكان والزوار في كتاب واحد.",
        ),
        common_goal=_t("Een gedrukt kookboek met dertig recepten", "A printed cookbook with "
                       "thirty recipes", "كتاب طبخ مطبوع فيه ثلاثون وصفة"),
        rrule="FREQ=WEEKLY;BYDAY=FR;COUNT=7", start_time=(14, 0), duration=120,
        weeks_from_today=-44, languages_spoken=("nl", "ar", "ti", "en"), capacity=10,
        planned_sessions=7, team_size=10, room="Keuken", organiser_talent="cooking",
        lead="newcomer", draws=("food",), newcomer_pull=0.5,
    ),
    # Festive days (one-off): a crowd, many walk-in guests.
    ActivitySpec(
        key="opening", place="buurtkamer", kind="one_off", format="festive",
        title=_t("Opening van de Buurtkamer", "Opening of the Buurtkamer",
                 "افتتاح غرفة الحي"),
        description=_t(
            "De deur gaat open! Muziek, hapjes uit veel keukens en een rondleiding. Iedereen is "
            "welkom, ook zonder aanmelding.",
            "The door opens! Music, snacks from many kitchens and a tour. Everyone is welcome, "
            "no need to sign up.",
            "الباب يُفتح! موسيقى ومقبلات من مطابخ كثيرة وجولة في المكان. الجميع مرحّب بهم من دون "
            "تسجيل.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(14, 0), duration=240, weeks_from_today=-78,
        languages_spoken=("nl", "en", "ar", "ti"), room="Huiskamer en plein",
        organiser_talent="organising", lead="local", draws=("neighbourhood", "food", "music"),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="talenfeest", place="buurtkamer", kind="one_off", format="festive",
        title=_t("Feest van de talen", "Festival of languages", "مهرجان اللغات"),
        description=_t(
            "Twintig talen aan twintig tafels: leer een groet, een lied of een spreekwoord van "
            "je buren.",
            "Twenty languages at twenty tables: learn a greeting, a song or a proverb from your "
            "neighbours.",
            "عشرون لغة على عشرين طاولة: تعلّم تحية أو أغنية أو مثلاً من جيرانك.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(15, 0), duration=240, weeks_from_today=-48,
        languages_spoken=("nl", "en", "ar", "ti", "fa"), room="Huiskamer en plein",
        organiser_talent="teaching_language", lead="newcomer",
        draws=("languages", "neighbourhood"), newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="jarig", place="buurtkamer", kind="one_off", format="festive",
        title=_t("De Buurtkamer is één jaar", "The Buurtkamer turns one",
                 "غرفة الحي تحتفل بعامها الأول"),
        description=_t(
            "Een jaar open deur: taart, muziek en de foto's van het afgelopen jaar. Neem je "
            "buren mee.",
            "A year of open doors: cake, music and the photos of the past year. Bring your "
            "neighbours.",
            "عام من الأبواب المفتوحة: كعكة وموسيقى وصور العام الماضي. أحضر جيرانك.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(15, 0), duration=240, weeks_from_today=-26,
        languages_spoken=("nl", "en", "ar", "ti"), room="Huiskamer en plein",
        organiser_talent="organising", lead="local", draws=("neighbourhood", "music"),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="pleinfeest", place="buurtkamer", kind="one_off", format="festive",
        title=_t("Muziekfeest op het plein", "Music party on the square",
                 "حفلة موسيقية في الساحة"),
        description=_t(
            "Bands uit de buurt, dansen en eten van de Aan Tafel-koks. Gratis, voor jong en oud.",
            "Bands from the neighbourhood, dancing and food by the At the Table cooks. Free, for "
            "young and old.",
            "فرق موسيقية من الحي ورقص وطعام من طبّاخي «على المائدة». مجاناً للصغار والكبار.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(16, 0), duration=300, weeks_from_today=-9,
        languages_spoken=("nl", "en", "ar", "ti"), room="Buurtplein",
        organiser_talent="music", lead="newcomer", draws=("music", "neighbourhood"),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="winterfeest", place="buurtkamer", kind="one_off", format="festive",
        title=_t("Winterfeest met soep uit alle landen", "Winter party with soup from every "
                 "country", "حفلة الشتاء مع شوربات من كل البلدان"),
        description=_t(
            "Warme soep, thee en spelletjes voor het hele gezin. Iedereen welkom.",
            "Hot soup, tea and games for the whole family. Everyone welcome.",
            "شوربة ساخنة وشاي وألعاب لكل العائلة. الجميع مرحّب بهم.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(15, 0), duration=240, weeks_from_today=3,
        languages_spoken=("nl", "en", "ar", "ti"), room="Huiskamer",
        organiser_talent="cooking", lead="local", draws=("food", "family"),
        newcomer_pull=0.5, solo=True,
    ),
    ActivitySpec(
        key="burendag", place="trefpunt", kind="one_off", format="festive",
        title=_t("Burendag: open huis in het Trefpunt", "Neighbours' day: open house at the "
                 "Trefpunt", "يوم الجيران: بيت مفتوح في الملتقى"),
        description=_t(
            "De flat, de buurt en de bezoekers ontmoeten elkaar: koffie, taart, muziek en een "
            "markt met spullen die we zelf maakten.",
            "The flat, the neighbourhood and the visitors meet: coffee, cake, music and a market "
            "of things we made ourselves.",
            "يلتقي سكان المبنى والحي والزوار: قهوة وكعك وموسيقى وسوق لأشياء صنعناها بأنفسنا.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(11, 0), duration=300, weeks_from_today=-61,
        languages_spoken=("nl", "ar", "en"), room="Zaal en tuin",
        organiser_talent="organising", lead="local", draws=("neighbourhood",),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="wereldmaaltijd", place="trefpunt", kind="one_off", format="festive",
        title=_t("Wereldmaaltijd voor de hele flat", "World meal for the whole flat",
                 "وجبة من العالم لكل سكان المبنى"),
        description=_t(
            "Tien koks, tien landen, één lange tafel door de zaal. Wie geen geld heeft, eet "
            "gratis mee.",
            "Ten cooks, ten countries, one long table through the hall. Whoever has no money "
            "eats for free.",
            "عشرة طبّاخين وعشرة بلدان ومائدة طويلة واحدة في القاعة. من ليس لديه مال يأكل مجاناً.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(12, 0), duration=240, weeks_from_today=-30,
        languages_spoken=("nl", "ar", "en", "fa"), room="Zaal",
        organiser_talent="cooking", lead="newcomer", draws=("food", "neighbourhood"),
        newcomer_pull=0.5,
    ),
    ActivitySpec(
        key="muziekmiddag", place="trefpunt", kind="one_off", format="festive",
        title=_t("Muziekmiddag met de buren", "Music afternoon with the neighbours",
                 "بعد ظهر موسيقي مع الجيران"),
        description=_t(
            "Een koor uit de flat, een oud-speler uit Aleppo en iedereen die mee wil zingen.",
            "A choir from the flat, an oud player from Aleppo and everyone who wants to sing "
            "along.",
            "جوقة من المبنى وعازف عود من حلب وكل من يريد أن يغني معنا.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(14, 0), duration=180, weeks_from_today=5,
        languages_spoken=("nl", "ar"), room="Zaal", organiser_talent="singing", lead="local",
        draws=("music",), newcomer_pull=0.5, solo=True,
    ),
    # Small one-offs: someone organises for the first time, with an experienced organiser.
    ActivitySpec(
        key="henna", place="buurtkamer", kind="one_off", format="workshop",
        title=_t("Henna-avond", "Henna evening", "سهرة الحنّة"),
        description=_t(
            "Leer henna zetten, met muziek en thee. Voor iedereen die nieuwsgierig is.",
            "Learn to apply henna, with music and tea. For everyone who is curious.",
            "تعلّم نقش الحنّة مع الموسيقى والشاي. لكل من يحب أن يجرّب.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=TH", start_time=(19, 0), duration=120, weeks_from_today=-56,
        languages_spoken=("nl", "ar", "ti"), room="Huiskamer", organiser_talent="drawing",
        lead="newcomer", draws=("art", "crafts"), newcomer_pull=0.5, path=True,
    ),
    ActivitySpec(
        key="tigrinya", place="buurtkamer", kind="one_off", format="workshop",
        title=_t("Tigrinya in één avond", "Tigrinya in one evening", "التغرينية في سهرة واحدة"),
        description=_t(
            "Het Ge'ez-schrift, tien woorden en een lied: een avond Tigrinya voor beginners.",
            "The Ge'ez script, ten words and a song: an evening of Tigrinya for beginners.",
            "خط الجعز وعشر كلمات وأغنية: سهرة للمبتدئين في اللغة التغرينية.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=WE", start_time=(19, 30), duration=90, weeks_from_today=-40,
        languages_spoken=("ti", "nl", "en"), room="Grote tafel",
        organiser_talent="teaching_language", lead="newcomer", draws=("languages",),
        newcomer_pull=0.4, path=True,
    ),
    ActivitySpec(
        key="fietstocht", place="buurtkamer", kind="one_off", format="sport",
        title=_t("Fietstocht langs het kanaal", "Bike ride along the canal",
                 "جولة بالدراجة على طول القناة"),
        description=_t(
            "Een rustige tocht van twintig kilometer met een picknick halverwege. Fietsen te "
            "leen.",
            "A gentle twenty-kilometre ride with a picnic halfway. Bikes to borrow.",
            "جولة هادئة لمسافة عشرين كيلومتراً مع نزهة في منتصف الطريق. يمكن استعارة دراجات.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SU", start_time=(13, 0), duration=240, weeks_from_today=-24,
        languages_spoken=("nl", "en", "ar"), room="Verzamelen bij de Buurtkamer",
        organiser_talent="sport", lead="local", draws=("sport", "nature"),
        newcomer_pull=0.5, path=True,
    ),
    ActivitySpec(
        key="cv", place="buurtkamer", kind="one_off", format="workshop",
        title=_t("Workshop: je cv in het Nederlands", "Workshop: your CV in Dutch",
                 "ورشة: سيرتك الذاتية بالهولندية"),
        description=_t(
            "Samen je cv schrijven of verbeteren, met iemand die weet wat werkgevers zoeken.",
            "Write or improve your CV together with someone who knows what employers look for.",
            "نكتب سيرتك الذاتية أو نحسّنها معاً مع شخص يعرف ما يبحث عنه أصحاب العمل.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=TH", start_time=(19, 30), duration=120, weeks_from_today=-11,
        languages_spoken=("nl", "en", "ar"), room="Grote tafel",
        organiser_talent="computers", lead="local", draws=("work",), newcomer_pull=0.7,
        path=True,
    ),
    ActivitySpec(
        key="theeproeverij", place="trefpunt", kind="one_off", format="workshop",
        title=_t("Theeproeverij uit de hele wereld", "Tea tasting from around the world",
                 "تذوّق الشاي من كل أنحاء العالم"),
        description=_t(
            "Thee uit Eritrea, Iran, Syrië en de Jordaan: proeven, ruiken en verhalen vertellen.",
            "Tea from Eritrea, Iran, Syria and the Jordaan: tasting, smelling and telling "
            "stories.",
            "شاي من إريتريا وإيران وسوريا وحيّ يوردان: نتذوّق ونشمّ ونحكي الحكايات.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=TH", start_time=(14, 0), duration=120, weeks_from_today=-50,
        languages_spoken=("nl", "ar", "fa"), room="Zaal", organiser_talent="cooking",
        lead="newcomer", draws=("food",), newcomer_pull=0.5, path=True,
    ),
    ActivitySpec(
        key="dansmiddag", place="trefpunt", kind="one_off", format="music_theatre",
        title=_t("Dansmiddag met muziek van vroeger", "Dance afternoon with music from the "
                 "old days", "بعد ظهر للرقص على موسيقى الزمن الجميل"),
        description=_t(
            "Wals, dabke en de twist: iedereen leert de anderen een dans van vroeger.",
            "Waltz, dabke and the twist: everyone teaches the others a dance from the old days.",
            "الفالس والدبكة والتويست: كل منا يعلّم الآخرين رقصة من الماضي.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=SA", start_time=(14, 0), duration=150, weeks_from_today=-28,
        languages_spoken=("nl", "ar"), room="Zaal", organiser_talent="dance", lead="local",
        draws=("music", "history"), newcomer_pull=0.5, path=True,
    ),
    ActivitySpec(
        key="stadswandeling", place="trefpunt", kind="one_off", format="other",
        title=_t("Stadswandeling met verhalen", "City walk with stories",
                 "جولة في المدينة مع الحكايات"),
        description=_t(
            "Een bewoner van de flat laat zien waar vroeger de fabriek stond; bezoekers vertellen "
            "over hun eigen stad.",
            "A resident of the flat shows where the factory used to be; visitors tell about "
            "their own city.",
            "أحد سكان المبنى يرينا أين كان المصنع قديماً، والزوار يحكون عن مدنهم.",
        ),
        rrule="FREQ=WEEKLY;BYDAY=WE", start_time=(10, 30), duration=120, weeks_from_today=-13,
        languages_spoken=("nl", "ar", "en"), room="Verzamelen bij het Trefpunt",
        organiser_talent="organising", lead="local", draws=("history", "neighbourhood"),
        newcomer_pull=0.5, path=True,
    ),
)
ACTIVITIES = ACTIVITIES + MORE_ACTIVITIES


# --- Proposals and messages ------------------------------------------------------------------
# Members write proposals in their own language; the approved one became a draft activity.

PROPOSALS: dict[str, tuple[dict, ...]] = {
    "buurtkamer": (
        {"status": "pending", "days_ago": 4, "title": "Schaakavond",
         "description": "Eén avond per maand schaken, voor beginners en voor wie het al kan. "
                        "Ik neem twee borden mee.",
         "when": "Eerste dinsdag van de maand, 20:00", "languages": ("nl", "ar")},
        {"status": "pending", "days_ago": 11, "title": "أمسية شعر بالعربية والهولندية",
         "description": "نقرأ قصائد بالعربية والهولندية ونترجمها معاً، مع الشاي.",
         "when": "مساء الخميس، مرة في الشهر", "languages": ("ar", "nl")},
        {"status": "approved", "days_ago": 24, "title": "Tigrinya-taalcafé",
         "description": "Na de avond Tigrinya wilden mensen meer: om de week een taalcafé, "
                        "net als het Arabische.",
         "when": "Om de week op woensdag, 19:30", "languages": ("ti", "nl", "en"),
         "response": "Goed idee! Ik heb er een concept van gemaakt; kijk je of de tijden "
                     "kloppen?",
         "activity_title": _t("Tigrinya-taalcafé", "Tigrinya language café",
                              "مقهى اللغة التغرينية"),
         "activity_description": _t(
             "Leer Tigrinya van buren die het als moedertaal spreken, met bunna erbij.",
             "Learn Tigrinya from neighbours who speak it as their mother tongue, with bunna.",
             "تعلّم التغرينية من جيران يتحدثونها كلغة أم، مع القهوة الإريترية."),
         "format": "language_cafe", "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
         "start_time": (19, 30)},
        {"status": "declined", "days_ago": 60, "title": "Dagtocht naar de zee",
         "description": "Met een bus naar Zandvoort, voor iedereen die de zee nog nooit zag.",
         "when": "Een zaterdag in de zomer", "languages": ("nl", "ar", "ti"),
         "cost": "amount", "cost_cents": 1500,
         "response": "Wat een mooi idee! Dit jaar is er geen geld voor een bus. Zullen we in het "
                     "voorjaar samen kijken of een partner kan helpen?"},
        {"status": "withdrawn", "days_ago": 90, "title": "Yoga in het park",
         "description": "Rustige yoga op zondagochtend, voor alle leeftijden.",
         "when": "Zondag 10:00", "languages": ("nl", "en")},
    ),
    "trefpunt": (
        {"status": "pending", "days_ago": 6, "title": "Klaverjassen leren",
         "description": "De mannen van de flat leren het kaartspel aan wie het wil leren.",
         "when": "Dinsdagmiddag 14:00", "languages": ("nl",)},
        {"status": "pending", "days_ago": 15, "title": "Computer help for everyone",
         "description": "Help with the phone, email and DigiD, for seniors and newcomers.",
         "when": "Thursday morning", "languages": ("en", "nl", "ar")},
        {"status": "approved", "days_ago": 30, "title": "Breicafé",
         "description": "Samen breien en haken, en de bewoners leren het aan wie het wil leren.",
         "when": "Maandagmiddag 14:00", "languages": ("nl", "ar", "fa"),
         "response": "Fijn, de bewoners vragen er al lang om. Het concept staat klaar.",
         "activity_title": _t("Breicafé", "Knitting café", "مقهى الحياكة"),
         "activity_description": _t(
             "Breien en haken met de dames van de flat; wol en naalden zijn er.",
             "Knitting and crochet with the ladies from the flat; wool and needles provided.",
             "حياكة وكروشيه مع سيدات المبنى، الصوف والإبر متوفرة."),
         "format": "workshop", "rrule": "FREQ=WEEKLY;BYDAY=MO", "start_time": (14, 0)},
        {"status": "declined", "days_ago": 45, "title": "Bingo met prijzen",
         "description": "Elke week bingo met echte prijzen.",
         "when": "Vrijdagmiddag", "languages": ("nl",),
         "response": "Bingo kan zeker, maar zonder geldprijzen: dan voelt niemand zich "
                     "buitengesloten. Wil je het zo opnieuw voorstellen?"},
    ),
}

CANCELLATION_TEXT = ("Helaas gaat {title} op {day} niet door: de organisator is ziek. "
                     "Volgende keer zijn we er weer, welkom!")

MESSAGES: dict[str, str] = {
    "buurtdiner": "Neem gerust een buur mee die je nog niet kent. Er is vegetarisch en halal "
                  "eten. / أحضر جاراً لا تعرفه بعد، الطعام نباتي وحلال.",
    "samenkoken": "Deze week koken we injera. Neem een schort mee als je er een hebt.",
}
