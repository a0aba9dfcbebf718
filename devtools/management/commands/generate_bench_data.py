"""Fill a database with a large, fictional, deterministic data set for benchmarks.

    python manage.py generate_bench_data [--scale 1] [--seed 1] [--force]

At scale 1: 46 States, 20,000 places, 200,000 visits, 1,000,000 visited places, 150,000
reports (a fifth confidential; one in twenty covers two visits, so 157,500 links between a
report and a visit), 100,000 responses, 300,000 refusals to co-operate (half undisclosed), 50
public statements, and the language versions: each report's authentic one in its State's
language, 45,000 (three in ten) in the other of English and French, one of each published
response and two of each statement. Every count is multiplied by ``--scale`` (at least one
row each; at least three States, and at most as many as there are bench codes).

And 1,500,000 recommendations (about ten a report, more after a periodic visit: mostly
recommendations, then comments and requests for information, a few immediate observations),
each filed under one or two of the themes in the database, a quarter naming one or two of the
places the report's visits went to, a third repeating one of an earlier report of the same
State; half of them are assessed, once or twice (about a million assessments), from the
report's response, from a later report of the State, or now and then from another source.
Their texts are in English and made from a small vocabulary: one in ten has the word
"restraint" that the benchmark searches for.

The States cannot be mistaken for real ones: names "Bench State 01"..., codes starting with Q
or X (QB-QZ and X? are user-assigned or unassigned in ISO 3166-1; XK is left out, as it is
in common use for Kosovo), and references in a "BENCH/Inf" series. Codes already used in the
database (the demo States, say) are skipped.

Every row obeys the database's constraints and the models' ``clean()`` rules: dates in
order, places in the visited State, reports only on completed visits of their State and
adopted after the last one ended, published only on a ground (the State's request, its
automatic publication, or for a few an annex to a public statement of the State issued that
day) and with the personal-data check, responses after transmission, one authentic version
and one version per language of each document, refusals after the Convention bound the
State, paragraphs as printed and once per report and kind, repeats of a report whose visits
began earlier, assessments only of transmitted reports and never before their source, and so
on. The response deadline is three months after transmission when every visit a report
covers was ad hoc, six otherwise. Dates are fixed (nothing after ``HORIZON``, or after today
if today is earlier), so that the same seed gives the same rows in a fresh database on any
day.

The versions' files are paths under documents/ with a plausible size, and no file is
written: the public pages and exports read the rows, never the files (a PDF download of
bench data answers "not available").

The text of 5,000 public reports at scale 1 (published, on completed visits; at least one
at any scale) is there as if the background worker had extracted it from their files: 40
pages a report in all (a report in two languages has 20 pages in each, translations of each
other), so 200,000 pages, about 2,000 characters each of prose in the version's language
(English, or French for "fr"), from devtools/bench_text.py: "taser" on about 2 % of the
pages, "restraint" ("contention") on about 10 %, "access to a lawyer" ("accès à un avocat")
on about 15 %, each dwelt on by a few reports. Their versions are marked extracted, with
their page count; on PostgreSQL each page's search vector is filled in its language's
configuration, as the worker does. Every other version, of a report or not, stays waiting
for extraction, as if the worker had not reached it yet.

Rows are written in bulk: COPY on PostgreSQL, ``bulk_create`` elsewhere; no per-row save,
so no history records either (django-simple-history records saves, and bench data has no
history to show). Ids are set by the command (after the highest id already there), in date
order, as if staff had logged the records over the years; the sequences are reset after.
On PostgreSQL the tables are vacuumed and analysed at the end, as autovacuum would do in
production.

The command refuses a database that holds bench data already, and one that holds other
records (places, visits, reports, responses, refusals, documents, recommendations,
assessments or demo States) unless ``--force``. The real reference States and public
statements of the migrations do not count.
"""

import bisect
import datetime
import itertools
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from devtools.bench_text import PageWriter, report_plan
from visits import treaty
from visits.cache import published_data_changed
from visits.models import (
    Access,
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    CooperationRefusal,
    Document,
    DocumentPage,
    Facility,
    PlaceType,
    PostponementGround,
    PublicationGround,
    PublicStatement,
    Recommendation,
    RecommendationKind,
    RefusalKind,
    Report,
    ReportVisit,
    Response,
    State,
    TextStatus,
    Theme,
    Visit,
    VisitedPlace,
    VisitStatus,
    VisitType,
    paragraph_number,
    refresh_visit_span,
    search_config,
)

RecommendationTheme = Recommendation.themes.through
RecommendationFacility = Recommendation.facilities.through

DAY = datetime.timedelta(days=1)
# The last day of the data: fixed, so that the data does not depend on the day it is made.
HORIZON = datetime.date(2026, 6, 30)

SCALE_ONE = {
    State: 46,
    Facility: 20_000,
    Visit: 200_000,
    VisitedPlace: 1_000_000,
    Report: 150_000,
    Response: 100_000,
    CooperationRefusal: 300_000,
    PublicStatement: 50,
    Recommendation: 1_500_000,
}
CONFIDENTIAL_REPORTS = 1 / 5
UNDISCLOSED_REFUSALS = 1 / 2
# Reports on two visits to a State (an ad hoc visit and the one before it), of all reports,
# chosen first among pairs less than PAIR_GAP_DAYS apart.
PAIRED_REPORTS = 1 / 20
PAIR_GAP_DAYS = 120
# Reports with a second version (the other of English and French), of all reports.
SECOND_VERSIONS = 3 / 10
# One public statement in ANNEX_EVERY has a report published as its annex (at least one).
ANNEX_EVERY = 10
# Public reports whose versions' text is extracted, at scale 1, and their pages in all (over
# their versions: a report in two languages has half of them in each).
TEXT_REPORTS = 5_000
PAGES_PER_REPORT = 40
# Sizes of the versions' files in bytes (no file is written): (smallest, largest).
REPORT_BYTES = (250_000, 4_000_000)
RESPONSE_BYTES = (80_000, 2_500_000)
STATEMENT_BYTES = (60_000, 400_000)
NAME_PREFIX = "Bench State "
REFERENCE_SERIES = "BENCH/Inf"

# Q and X codes: QB-QL are unassigned, QM-QZ and XA-XZ user-assigned (QA is Qatar; XK, used
# for Kosovo, is left out). The demo States' codes (XA-XN) come last.
DEMO_CODES = ["XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XL", "XM", "XN"]
CODES = [f"Q{letter}" for letter in "BCDEFGHIJKLMNOPQRSTUVWXYZ"]
CODES += [f"X{letter}" for letter in "IOPQRSTUVWXYZ"] + DEMO_CODES

# Visits by status: fractions of all visits (completed takes the rest).
STATUS_SHARES = {
    VisitStatus.PLANNED: 0.02,
    VisitStatus.NOTIFIED: 0.008,
    VisitStatus.IN_PROGRESS: 0.002,
    VisitStatus.POSTPONED: 0.015,
    VisitStatus.CANCELLED: 0.015,
}
# Statuses whose dates lie around the horizon: not for a State that has left the Convention.
CURRENT_STATUSES = {VisitStatus.PLANNED, VisitStatus.NOTIFIED, VisitStatus.IN_PROGRESS}

PLACE_TYPES = {
    # type: (share, name, capacity range or None)
    PlaceType.POLICE: (35, "Police Station", (6, 40)),
    PlaceType.PRISON: (22, "Prison", (150, 1400)),
    PlaceType.IMMIGRATION: (6, "Detention Centre for Foreigners", (40, 250)),
    PlaceType.PSYCHIATRIC: (10, "Psychiatric Hospital", (80, 600)),
    PlaceType.SOCIAL_CARE: (12, "Social Care Home", (40, 300)),
    PlaceType.JUVENILE: (5, "Centre for Minors", (20, 120)),
    PlaceType.MILITARY: (3, "Military Detention Unit", (5, 30)),
    PlaceType.OTHER: (7, "Court Holding Cells", None),
}
TYPE_INDEX = {place_type: index for index, place_type in enumerate(PLACE_TYPES)}
TYPE_NAMES = [name for _share, name, _capacity in PLACE_TYPES.values()]
PLACE_WORDS = {
    "en": {
        PlaceType.POLICE: "police establishments",
        PlaceType.PRISON: "prisons",
        PlaceType.IMMIGRATION: "immigration detention centres",
        PlaceType.PSYCHIATRIC: "psychiatric establishments",
        PlaceType.SOCIAL_CARE: "social care homes",
        PlaceType.JUVENILE: "juvenile detention centres",
        PlaceType.MILITARY: "military detention units",
        PlaceType.OTHER: "other places of deprivation of liberty",
    },
    "fr": {
        PlaceType.POLICE: "établissements de police",
        PlaceType.PRISON: "prisons",
        PlaceType.IMMIGRATION: "centres de rétention pour étrangers",
        PlaceType.PSYCHIATRIC: "établissements psychiatriques",
        PlaceType.SOCIAL_CARE: "foyers sociaux",
        PlaceType.JUVENILE: "centres pour mineurs",
        PlaceType.MILITARY: "unités de détention militaire",
        PlaceType.OTHER: "autres lieux de privation de liberté",
    },
}
TOPICS = [
    ("the use of means of restraint", "le recours aux moyens de contention"),
    ("solitary confinement", "l'isolement cellulaire"),
    ("access to a lawyer", "l'accès à un avocat"),
    ("health care", "les soins de santé"),
    ("overcrowding", "la surpopulation"),
    ("allegations of ill-treatment", "les allégations de mauvais traitements"),
    ("inter-prisoner violence", "la violence entre détenus"),
    ("material conditions of detention", "les conditions matérielles de détention"),
    ("safeguards against ill-treatment", "les garanties contre les mauvais traitements"),
    ("contact with the outside world", "les contacts avec le monde extérieur"),
    ("staffing levels", "les effectifs du personnel"),
]
FIRST_NAMES = ["Ada", "Bruno", "Carla", "Dmitri", "Eva", "Filip", "Gita", "Henrik", "Ines", "Jan"]
SURNAMES = ["Abel", "Berg", "Castro", "Dahl", "Engel", "Falk", "Gruber", "Holm", "Iversen", "Juhl"]
ROLES = ["member of the Committee", "expert", "member of the Secretariat", "interpreter"]
NOTES = [
    "Bench data: liaison officer confirmed by telephone.",
    "Bench data: list of places not shared in advance.",
    "Bench data: interpreter replaced at short notice.",
]

# Kinds of refusal: (weight, when it happens, public summary).
REFUSALS = {
    RefusalKind.ACCESS_REFUSED: (8, "during", "The delegation was refused access to a place."),
    RefusalKind.ACCESS_DELAYED: (15, "during", "The delegation was kept waiting at a place."),
    RefusalKind.INTERVIEW_REFUSED: (10, "during", "Staff insisted on attending interviews."),
    RefusalKind.EXPERT_REFUSED: (4, "notified", "The authorities objected to an expert."),
    RefusalKind.INFORMATION_WITHHELD: (15, "during", "Custody registers were not shown."),
    RefusalKind.REQUEST_UNANSWERED: (15, "after", "A request for information went unanswered."),
    RefusalKind.RESPONSE_OVERDUE: (12, "after", "No response to the report by the deadline."),
    RefusalKind.REPRISAL: (5, "after", "Persons who met the delegation were threatened."),
    RefusalKind.RECOMMENDATIONS_IGNORED: (8, "after", "Long-standing recommendations ignored."),
    RefusalKind.ARTICLE9_POSTPONEMENT: (3, "postponed", "Article 9 invoked: visit postponed."),
    RefusalKind.OTHER: (5, "during", "The liaison officer could not be reached."),
}
# A refusal not tied to a visit (about 1 in 10) is of one of these kinds.
WITHOUT_VISIT = [
    RefusalKind.REQUEST_UNANSWERED,
    RefusalKind.RECOMMENDATIONS_IGNORED,
    RefusalKind.REPRISAL,
]

# Recommendations: kinds by weight; the repeats' and the assessed ones' shares of all.
KINDS = {
    RecommendationKind.RECOMMENDATION: 62,
    RecommendationKind.COMMENT: 18,
    RecommendationKind.REQUEST_FOR_INFORMATION: 17,
    RecommendationKind.IMMEDIATE_OBSERVATION: 3,
}
REPEATED_RECOMMENDATIONS = 1 / 3
# A repeat is of one of the three reports before its own: weights, the latest last.
RECENT_WEIGHTS = (1, 2, 4)
ASSESSED_RECOMMENDATIONS = 1 / 2
# Immediate observations ask for action at once; so do a few others (about 5 % in all).
IMMEDIATE_ACTION = 0.02
NAMED_PLACES = 1 / 4  # recommendations that name one or two of the places visited
RANGED_PARAGRAPHS = 0.1  # "57-58" rather than "57"
SHARED_PARAGRAPHS = 0.08  # of another kind, in the paragraph of the one before
TWO_THEMES = 0.4
TWO_ASSESSMENTS = 0.35  # of the assessed recommendations with a second source
OTHER_SOURCES = 0.04  # assessments from a meeting or a letter, not a response or a report
STATUSES = {
    AssessmentStatus.IMPLEMENTED: 20,
    AssessmentStatus.PARTIALLY_IMPLEMENTED: 25,
    AssessmentStatus.IN_PROGRESS: 15,
    AssessmentStatus.NOT_IMPLEMENTED: 22,
    AssessmentStatus.NO_INFORMATION: 13,
    AssessmentStatus.NO_LONGER_RELEVANT: 5,
}
# What a later report that repeats a recommendation finds of it.
REPEATED_STATUSES = {
    AssessmentStatus.NOT_IMPLEMENTED: 60,
    AssessmentStatus.PARTIALLY_IMPLEMENTED: 30,
    AssessmentStatus.IN_PROGRESS: 10,
}
OTHER_NOTES = [
    "Bench data: letter from the Ministry of Justice.",
    "Bench data: high-level talks with the authorities.",
    "Bench data: information from the national preventive mechanism.",
    "Bench data: follow-up meeting in Strasbourg.",
]

# What recommendations are about: (weight, theme codes (the first always, the second for
# TWO_THEMES of them), the types of place it concerns (of which the places a recommendation
# names, when the report's visits went to one), what the CPT recommends (after "recommends
# that"), what it asks about (after "information on"), what the delegation found). The texts
# are in English whatever the State's language, so that a search finds the same share
# everywhere: "restraint" (bench.py's search word) is in the first three topics only, a tenth
# of the weight, in each of their measures and subjects, and "restraints" nowhere.
RECOMMENDATION_TOPICS = [
    (
        4,
        ("psychiatry", "social_care"),
        (PlaceType.PSYCHIATRIC, PlaceType.SOCIAL_CARE),
        [
            "every resort to means of restraint be recorded in a specific register, with the "
            "times at which the measure began and ended",
            "a patient under mechanical restraint be continuously and directly supervised by a "
            "member of the nursing staff",
            "means of restraint be applied only on the order of a doctor and for the shortest "
            "possible time, never as a punishment",
        ],
        "the use of means of restraint and seclusion in the establishment",
        [
            "Patients told the delegation that they had been kept under mechanical restraint "
            "for several days.",
            "Means of restraint were applied in full view of other patients.",
            "The restraint register was incomplete and often filled in days later.",
        ],
    ),
    (
        4,
        ("law_enforcement", "prisons"),
        (PlaceType.POLICE, PlaceType.PRISON, PlaceType.OTHER),
        [
            "means of restraint never be used to attach detainees to fixed objects, and that "
            "the rings fixed to the walls of the cells for that purpose be removed",
            "handcuffs and other means of restraint be used only when strictly necessary and "
            "never as a punishment",
            "a prisoner placed in a restraint bed be under the constant supervision of staff "
            "and seen by a doctor without delay",
        ],
        "the rules on the use of means of restraint by custodial staff",
        [
            "Several detainees said that they had been handcuffed to a radiator in the "
            "corridor for hours.",
            "A restraint bed was kept ready in a cell of the disciplinary unit.",
        ],
    ),
    (
        2,
        ("juveniles", "social_care"),
        (PlaceType.JUVENILE, PlaceType.SOCIAL_CARE),
        [
            "chemical restraint never be used to manage the behaviour of juveniles or residents",
            "staff be trained in de-escalation techniques so that restraint is used only as a "
            "last resort",
        ],
        "the use of restraint on juveniles and residents, and the training of staff",
        [
            "Residents were given sedatives as a form of chemical restraint.",
            "Staff had received no training in alternatives to restraint.",
        ],
    ),
    (
        10,
        ("lawyer", "safeguards"),
        (PlaceType.POLICE, PlaceType.OTHER),
        [
            "every person deprived of liberty by the police have the right of access to a "
            "lawyer from the very outset of custody",
            "detained persons be able to meet their lawyer in private, including before and "
            "during questioning",
            "the system of legal aid lawyers be made effective in police custody",
        ],
        "the steps taken to guarantee access to a lawyer from the outset of police custody",
        [
            "Many detainees said that they had first seen a lawyer at their court hearing.",
            "Police officers told the delegation that a lawyer was called only once the "
            "detainee had made a statement.",
        ],
    ),
    (
        8,
        ("doctor", "safeguards"),
        (PlaceType.POLICE,),
        [
            "every detained person have the right of access to a doctor, including one of "
            "their own choice, from the outset of custody",
            "medical examinations of detainees take place out of the hearing and, unless the "
            "doctor requests otherwise, out of the sight of police officers",
        ],
        "the arrangements for medical examinations of persons in police custody",
        [
            "Medical examinations took place in the presence of police officers.",
            "Injuries of detainees were not recorded at the time of their admission.",
        ],
    ),
    (
        6,
        ("notification_of_custody", "safeguards"),
        (PlaceType.POLICE,),
        [
            "every detained person be able to have a relative or another third party of their "
            "choice informed of their detention without delay",
            "any delay in notifying custody be recorded in writing with the reasons for it",
        ],
        "the practice of notifying the custody of detained persons to their relatives",
        [
            "Several detainees had been unable to inform their families for two days.",
        ],
    ),
    (
        5,
        ("information_on_rights", "safeguards"),
        (PlaceType.POLICE, PlaceType.IMMIGRATION),
        [
            "every detained person be informed of their rights in a language they understand, "
            "from the very outset of custody",
            "a leaflet setting out the rights of detainees be available in the languages most "
            "often spoken and given to every detainee",
        ],
        "the information given to detained persons on their rights",
        [
            "Detainees told the delegation that nobody had explained their rights to them.",
        ],
    ),
    (
        9,
        ("impunity", "law_enforcement"),
        (PlaceType.POLICE, PlaceType.PRISON),
        [
            "the authorities deliver a firm message to police officers that the ill-treatment "
            "of detainees is unlawful and will be punished",
            "every allegation of ill-treatment be promptly and effectively investigated by a "
            "body independent of the police",
        ],
        "the investigations into the allegations of ill-treatment set out in this report",
        [
            "The delegation received allegations of detainees being slapped and kicked during "
            "questioning.",
            "A detainee bore injuries consistent with his account of being beaten in a cell.",
        ],
    ),
    (
        12,
        ("prisons",),
        (PlaceType.PRISON,),
        [
            "every prisoner have at least 4 m² of living space in a multiple-occupancy cell, "
            "not counting the sanitary annex",
            "all cells have adequate access to natural light and ventilation, and that the "
            "sanitary annexes be fully partitioned",
            "prisoners be offered at least eight hours a day of purposeful activities outside "
            "their cell",
        ],
        "the measures taken to reduce overcrowding and to improve the cells",
        [
            "Cells designed for four detainees held up to ten.",
            "Some cells were dilapidated, damp and infested with cockroaches.",
            "Most prisoners spent 23 hours a day locked in their cell.",
        ],
    ),
    (
        8,
        ("prison_health_care", "prisons"),
        (PlaceType.PRISON,),
        [
            "every newly arrived prisoner be seen by a doctor or a qualified nurse within 24 "
            "hours of admission",
            "the number of doctors and nurses be increased so that detainees receive care "
            "without delay",
            "medical confidentiality be respected and that consultations take place out of "
            "the hearing of custodial staff",
        ],
        "the staffing and organisation of health care in the prison",
        [
            "The prison of 900 places had one doctor, present twice a week.",
            "Detainees waited weeks for a consultation with a dentist.",
        ],
    ),
    (
        6,
        ("solitary_confinement", "prisons"),
        (PlaceType.PRISON, PlaceType.JUVENILE, PlaceType.MILITARY),
        [
            "solitary confinement as a disciplinary punishment never exceed 14 days for a "
            "given offence",
            "every prisoner in solitary confinement be offered at least one hour of outdoor "
            "exercise a day and meaningful human contact",
        ],
        "the use of solitary confinement and the conditions in the segregation unit",
        [
            "Prisoners had spent several months alone in a cell of the segregation unit.",
        ],
    ),
    (
        5,
        ("immigration_detention",),
        (PlaceType.IMMIGRATION,),
        [
            "the detention of families with children in the centre be brought to an end",
            "detained foreign nationals be informed of their rights and of the procedure in a "
            "language they understand",
        ],
        "the conditions of detention of foreign nationals and the safeguards they enjoy",
        [
            "Foreign nationals were held in a basement without access to fresh air.",
        ],
    ),
    (
        2,
        ("deportation_by_air", "immigration_detention"),
        (PlaceType.IMMIGRATION,),
        [
            "every removal operation by air be video-recorded and monitored by an independent body",
        ],
        "the arrangements for removal operations by air",
        [
            "The escort staff were not identifiable during the removal operation.",
        ],
    ),
    (
        4,
        ("juveniles",),
        (PlaceType.JUVENILE,),
        [
            "juveniles never be accommodated together with adult detainees",
            "juveniles be offered a full programme of education, sport and recreation",
        ],
        "the regime offered to juveniles deprived of their liberty",
        [
            "Two juveniles were held in a cell with adult detainees.",
        ],
    ),
    (
        3,
        ("women", "prisons"),
        (PlaceType.PRISON,),
        [
            "women prisoners be supervised by female staff and have access to sanitary "
            "products free of charge",
        ],
        "the situation of women deprived of their liberty",
        [
            "Male officers supervised the women's unit at night.",
        ],
    ),
    (
        4,
        ("social_care",),
        (PlaceType.SOCIAL_CARE,),
        [
            "every resident be offered a range of therapeutic and recreational activities",
            "the legal safeguards surrounding involuntary placement in the home be reviewed",
        ],
        "the placement of residents and the care offered to them",
        [
            "Residents spent most of the day in bed, with nothing to do.",
        ],
    ),
    (
        2,
        ("electrical_discharge_weapons", "law_enforcement"),
        (PlaceType.POLICE,),
        [
            "electrical discharge weapons be used only when there is a real and immediate "
            "threat to life or risk of serious injury",
        ],
        "the rules on the use of electrical discharge weapons by police officers",
        [
            "Detainees alleged that electrical discharge weapons had been used on them in a "
            "police cell.",
        ],
    ),
    (
        6,
        ("prisons", "impunity"),
        (PlaceType.PRISON,),
        [
            "a strategy to tackle inter-prisoner violence and intimidation be drawn up and "
            "carried out without delay",
            "staffing levels be increased so that staff are present in the accommodation "
            "areas by day and by night",
        ],
        "the steps taken against inter-prisoner violence and the staffing of the prison",
        [
            "Vulnerable detainees were beaten by their cellmates while staff looked away.",
            "Two officers were on duty at night for 400 detainees.",
        ],
    ),
]
RECOMMENDS = [
    "The CPT recommends that ",
    "The CPT recommends that steps be taken to ensure that ",
    "The Committee recommends that ",
    "The CPT calls upon the authorities to ensure that ",
]
COMMENTS = [
    "The CPT invites the authorities to review ",
    "The CPT trusts that the authorities will pay close attention to ",
    "The Committee expresses its concern about ",
]
REQUESTS = [
    "The CPT would like to receive information on ",
    "The CPT would like to receive the comments of the authorities on ",
    "The Committee requests detailed information on ",
]
FOLLOW_UPS = [
    " Staff should receive training to that end.",
    " The relevant instructions should be reissued to all staff.",
    " Compliance should be monitored by the management.",
    " The necessary resources should be made available.",
]
DEADLINES = ["", ", within three months", " in the response to this report"]


def counts_at(scale):
    """Rows per model at ``scale``: at least one each, at least three States, and the pages
    of at least one report."""
    counts = {model: max(1, round(n * scale)) for model, n in SCALE_ONE.items()}
    counts[State] = min(len(CODES), max(3, counts[State]))
    counts[DocumentPage] = max(1, round(TEXT_REPORTS * scale)) * PAGES_PER_REPORT
    return counts


def apportion(total, weights, minimum=0):
    """``total`` split in proportion to ``weights`` (largest remainders), ``minimum`` each."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise CommandError(f"Cannot give {minimum} each of {total} to {len(weights)}.")
    whole = sum(weights)
    shares = [rest * weight / whole for weight in weights]
    parts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [part + minimum for part in parts]


def days_between(rng, first, last):
    """A day from ``first`` to ``last`` inclusive (``first`` when ``last`` is earlier)."""
    span = (last - first).days
    return first + rng.randint(0, span) * DAY if span > 0 else first


def automatic_on(state, day):
    """The State's automatic publication covers ``day`` (State.has_automatic_publication_on)."""
    return state.automatic_since is not None and day >= state.automatic_since


def recommendation_text(rng, kind, topic, variant, repeat, places):
    """A text in the manner of the CPT's reports: what the delegation found, then what the
    CPT recommends, comments or asks (a repeat reiterates it), and the places it names."""
    _weight, _themes, _types, measures, subject, findings = RECOMMENDATION_TOPICS[topic]
    measure = measures[variant]
    if kind == RecommendationKind.RECOMMENDATION:
        finding = rng.choice(findings) + " " if not repeat and rng.random() < 0.5 else ""
        opener = "The CPT reiterates its recommendation that " if repeat else rng.choice(RECOMMENDS)
        follow_up = rng.choice(FOLLOW_UPS) if rng.random() < 0.4 else ""
        text = f"{finding}{opener}{measure}.{follow_up}"
    elif kind == RecommendationKind.COMMENT:
        opener = (
            "The CPT once again invites the authorities to review "
            if repeat
            else rng.choice(COMMENTS)
        )
        text = f"{rng.choice(findings)} {opener}{subject}."
    elif kind == RecommendationKind.REQUEST_FOR_INFORMATION:
        finding = rng.choice(findings) + " " if rng.random() < 0.4 else ""
        opener = (
            "The CPT reiterates its request for information on " if repeat else rng.choice(REQUESTS)
        )
        text = f"{finding}{opener}{subject}{rng.choice(DEADLINES)}."
    else:
        again = " once again" if repeat else ""
        text = (
            f"{rng.choice(findings)} At the end of the visit, the delegation{again} made an "
            "immediate observation under Article 8(5) of the Convention, requesting that "
            f"{measure}. The authorities were asked to report within one month on the action "
            "taken."
        )
    if places:
        text += f" This applies in particular to {' and '.join(places)}."
    return text


def fit(steps, available):
    """Durations in days squeezed (in proportion) into ``available`` days when longer."""
    total = sum(steps)
    if total <= available:
        return steps
    return [step * available // total for step in steps]


class BenchState:
    """What the generator needs to know of a State, beside its row."""

    def __init__(self, index, pk, code, weight, language):
        self.index, self.pk, self.code = index, pk, code
        self.name = f"{NAME_PREFIX}{index + 1:02d}"
        self.weight, self.language = weight, language
        self.first_day = self.last_day = self.last_planned_day = None
        self.automatic_since = None
        self.facilities = []  # (id, place type index)


class Writer:
    """Rows (tuples in the order of ``names``) into a model's table, in bulk: COPY on
    PostgreSQL, bulk_create elsewhere. Fields not named get their default, timestamps the
    time the run started."""

    BATCH = 2000

    def __init__(self, connection, now):
        self.connection, self.now = connection, now
        self.copy = connection.vendor == "postgresql"

    def write(self, model, names, rows):
        fields = [model._meta.get_field(name) for name in names]
        missing = [field for field in model._meta.concrete_fields if field not in fields]
        defaults = tuple(
            self.now
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            else field.get_default()
            for field in missing
        )
        fields += missing
        if self.copy:
            return self._copy(model, fields, rows, defaults)
        return self._bulk_create(model, fields, rows, defaults)

    def _copy(self, model, fields, rows, defaults):
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        written = 0
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row((*row, *defaults))
                written += 1
        return written

    def _bulk_create(self, model, fields, rows, defaults):
        names = [field.attname for field in fields]
        batch, written = [], 0
        for row in rows:
            batch.append(model(**dict(zip(names, (*row, *defaults), strict=True))))
            if len(batch) == self.BATCH:
                model._base_manager.bulk_create(batch, batch_size=self.BATCH)
                written, batch = written + len(batch), []
        model._base_manager.bulk_create(batch, batch_size=self.BATCH)
        return written + len(batch)


class BenchData:
    def __init__(self, counts, seed, horizon, writer, report):
        self.counts, self.seed, self.horizon = counts, seed, horizon
        self.writer, self.report = writer, report
        self.written = {}

    def rng(self, table):
        """One random stream per table: a change in one table leaves the others as they were."""
        return random.Random(f"bench-{self.seed}-{table}")

    def first_ids(self):
        """Each table's next id, read before any COPY starts: a query on the connection
        while it copies would wait for the copy forever."""
        ids = {}
        for model in BENCH_MODELS:
            last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
            ids[model] = (last or 0) + 1
        return ids

    def write(self, model, names, rows, label=None):
        started = time.monotonic()
        written = self.writer.write(model, names, rows)
        self.written[model] = written
        self.progress(label or str(model._meta.verbose_name_plural), written, started)

    def progress(self, label, rows, started):
        self.report(f"  {label:<32}{rows:>10,} rows  {time.monotonic() - started:6.1f} s")

    def run(self):
        self.next_id = self.first_ids()
        self.make_states()
        self.make_facilities()
        self.make_visits()
        self.write(
            VisitedPlace,
            ["id", "visit_id", "facility_id", "first_day_on", "last_day_on", "access"],
            self.visited_places(),
        )
        reports = self.make_reports()
        responses = self.make_responses(reports)
        statements = self.make_statements()
        self.annex(reports, statements)
        self.number(reports, responses, statements)
        self.write(
            PublicStatement,
            ["id", "state_id", "issued_on", "date_precision", "title", "reference", "summary"],
            [row[:7] for row in statements],
        )
        self.write(
            Report,
            REPORT_COLUMNS,
            ([report[name] for name in REPORT_COLUMNS] for report in reports),
        )
        self.write(ReportVisit, ["id", "report_id", "visit_id"], self.report_visits(reports))
        self.write(
            Response,
            ["id", "report_id", "received_on", "published_on", "reference"],
            [row[:5] for row in responses],
        )
        self.write(
            CooperationRefusal,
            [
                "id",
                "state_id",
                "visit_id",
                "facility_id",
                "occurred_on",
                "kind",
                "summary",
                "internal_notes",
                "disclosed_on",
                "resolved_on",
                "public_statement_id",
            ],
            self.refusals(statements),
        )
        self.write(
            Document,
            [
                "id",
                "report_id",
                "response_id",
                "statement_id",
                "language",
                "file",
                "size",
                "authentic",
            ],
            self.documents(reports, responses, statements),
        )
        self.pages(reports)
        self.recommendations(reports, responses)
        return self.written

    # States and places.

    def make_states(self):
        rng, horizon = self.rng("states"), self.horizon
        taken = set(State.private_objects.values_list("code", flat=True))
        codes = [code for code in CODES if code not in taken][: self.counts[State]]
        if len(codes) < self.counts[State]:
            raise CommandError("Not enough free bench State codes for this scale.")
        first_id = self.next_id[State]
        self.states, rows = [], []
        # One State about to leave the Convention, one that has left it (Article 22).
        pending, former = 1, 2
        for index, code in enumerate(codes):
            language = "fr" if rng.random() < 0.35 else "en"
            state = BenchState(index, first_id + index, code, rng.uniform(0.3, 3.0), language)
            signed = days_between(rng, datetime.date(1987, 11, 26), datetime.date(2004, 12, 31))
            ratified = signed + rng.randint(60, 900) * DAY
            in_force = treaty.entry_into_force(ratified)
            notified = effective = coe_until = None
            if index == pending:
                notified = horizon - rng.randint(60, 300) * DAY
                coe_until = notified - rng.randint(300, 900) * DAY
            elif index == former:
                notified = days_between(rng, datetime.date(2018, 1, 1), datetime.date(2020, 12, 31))
                effective = treaty.denunciation_effective(notified)
            leaves = treaty.denunciation_effective(notified) if notified else None
            # About a quarter of the States publish automatically, the first one always: every
            # publication ground is there at any scale.
            if (rng.random() < 0.25 or index == 0) and not notified:
                since = days_between(rng, max(in_force, datetime.date(2000, 1, 1)), horizon)
                state.automatic_since = since.replace(day=1)
            state.first_day = in_force + 30 * DAY
            state.last_day = min(horizon, leaves - DAY) if leaves else horizon
            state.last_planned_day = (
                min(horizon + 365 * DAY, leaves - DAY) if leaves else (horizon + 365 * DAY)
            )
            self.states.append(state)
            rows.append(
                (
                    state.pk,
                    state.name,
                    code,
                    signed,
                    ratified,
                    in_force,
                    coe_until,
                    notified,
                    effective,
                    state.automatic_since,
                )
            )
        self.write(
            State,
            [
                "id",
                "name",
                "code",
                "signed_on",
                "ratified_on",
                "in_force_on",
                "coe_member_until",
                "denunciation_notified_on",
                "denunciation_effective_on",
                "automatic_publication_since",
            ],
            rows,
        )

    def make_facilities(self):
        rng = self.rng("facilities")
        types = list(PLACE_TYPES)
        shares = [share for share, _name, _capacity in PLACE_TYPES.values()]
        per_state = apportion(
            self.counts[Facility], [state.weight for state in self.states], minimum=1
        )
        pk, rows = self.next_id[Facility], []
        for state, count in zip(self.states, per_state, strict=True):
            towns = max(1, count // 8)
            latitude, longitude = rng.uniform(36, 68), rng.uniform(-9, 40)
            for number in range(1, count + 1):
                place_type = rng.choices(types, shares)[0]
                _share, name, capacity = PLACE_TYPES[place_type]
                town = rng.randint(1, towns)
                coordinates = (None, None)
                if rng.random() < 0.6:
                    coordinates = (
                        Decimal(f"{latitude + rng.uniform(-2, 2):.5f}"),
                        Decimal(f"{longitude + rng.uniform(-3, 3):.5f}"),
                    )
                rows.append(
                    (
                        pk,
                        state.pk,
                        f"{name} No. {number}",
                        place_type,
                        f"Bench Town {town}",
                        f"Bench Region {1 + town % 5}",
                        *coordinates,
                        rng.randint(*capacity) if capacity and rng.random() < 0.8 else None,
                        rng.random() < 0.95,
                    )
                )
                state.facilities.append((pk, TYPE_INDEX[place_type]))
                pk += 1
        self.write(
            Facility,
            [
                "id",
                "state_id",
                "name",
                "place_type",
                "locality",
                "region",
                "latitude",
                "longitude",
                "capacity",
                "active",
            ],
            rows,
        )

    # Visits: each State's in date order, then all of them in date order for their ids.

    def make_visits(self):
        rng, horizon = self.rng("visits"), self.horizon
        total = self.counts[Visit]
        statuses = []
        for status, share in STATUS_SHARES.items():
            statuses += [status] * round(total * share)
        statuses += [VisitStatus.COMPLETED] * (total - len(statuses))
        rng.shuffle(statuses)
        states = []
        per_state = apportion(total, [state.weight for state in self.states], minimum=1)
        for state, count in zip(self.states, per_state, strict=True):
            states += [state] * count
        rng.shuffle(states)
        visits = []
        for n, (state, status) in enumerate(zip(states, statuses, strict=True)):
            if status in CURRENT_STATUSES and state.last_day < horizon:
                status = rng.choice([VisitStatus.POSTPONED, VisitStatus.CANCELLED])
            visits.append(self.visit(rng, n, state, status))
        # Follow-ups: an ad hoc visit may follow up the State's previous visit.
        visits.sort(key=lambda visit: (visit["state"].index, visit["first_day"], visit["n"]))
        previous = None
        for visit in visits:
            same_state = previous is not None and previous["state"] is visit["state"]
            if (
                same_state
                and visit["type"] == VisitType.AD_HOC
                and previous["first_day"] < visit["first_day"]
                and rng.random() < 0.6
            ):
                visit["follows_up"] = previous
            previous = visit
        visits.sort(key=lambda visit: (visit["first_day"], visit["state"].index, visit["n"]))
        first_id = self.next_id[Visit]
        for index, visit in enumerate(visits):
            visit["id"] = first_id + index
        self.visits = visits
        self.write(
            Visit,
            [
                "id",
                "state_id",
                "visit_type",
                "follows_up_id",
                "announced",
                "status",
                "planned_start_on",
                "planned_end_on",
                "notified_on",
                "start_on",
                "end_on",
                "delegation",
                "immediate_observations",
                "postponement_ground",
                "summary",
                "internal_notes",
            ],
            (self.visit_row(rng, visit) for visit in visits),
        )

    def visit(self, rng, n, state, status):
        """A visit's dates as far as ``status`` goes."""
        horizon = self.horizon
        ad_hoc = rng.random() < 0.35
        length = rng.randint(2, 6) if ad_hoc else rng.randint(7, 12)
        notice = (rng.randint(0, 2) if ad_hoc else rng.randint(7, 21)) * DAY
        visit = {"n": n, "state": state, "status": status, "length": length}
        visit["type"] = VisitType.AD_HOC if ad_hoc else VisitType.PERIODIC
        visit["follows_up"] = visit["notified"] = visit["start"] = visit["end"] = None
        visit["ground"] = ""
        if status == VisitStatus.COMPLETED:
            start = days_between(rng, state.first_day, state.last_day - length * DAY)
            visit.update(start=start, end=start + (length - 1) * DAY, notified=start - notice)
            planned = start
        elif status == VisitStatus.IN_PROGRESS:
            planned = horizon - rng.randint(0, length - 1) * DAY
            visit.update(start=planned, notified=planned - notice)
        elif status == VisitStatus.NOTIFIED:
            planned = min(horizon + rng.randint(1, 30) * DAY, state.last_planned_day)
            visit["notified"] = min(planned - notice, horizon)
        elif status == VisitStatus.PLANNED:
            planned = min(horizon + rng.randint(20, 365) * DAY, state.last_planned_day)
        else:
            ahead = 120 if status == VisitStatus.POSTPONED else 200
            last = min(horizon + ahead * DAY, state.last_planned_day)
            planned = days_between(rng, state.first_day, last)
            if planned - notice <= horizon and rng.random() < 0.5:
                visit["notified"] = planned - notice
            if status == VisitStatus.POSTPONED and rng.random() < 0.7:
                visit["ground"] = rng.choice(PostponementGround.values)
        visit["planned"] = planned
        visit["first_day"] = visit["start"] or planned
        return visit

    def visit_row(self, rng, visit):
        state, completed = visit["state"], visit["status"] == VisitStatus.COMPLETED
        delegation = "\n".join(
            f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} ({rng.choice(ROLES)})"
            for _ in range(rng.randint(3, 6))
        )
        observations = ""
        if completed and rng.random() < 0.2:
            observations = "Bench data: the delegation asked for information within three months."
        summary = f"Bench data: {visit['type'].label} to {state.name}." if completed else ""
        follows_up = visit["follows_up"]
        return (
            visit["id"],
            state.pk,
            visit["type"],
            follows_up["id"] if follows_up else None,
            visit["type"] == VisitType.PERIODIC,
            visit["status"],
            visit["planned"],
            visit["planned"] + (visit["length"] - 1) * DAY,
            visit["notified"],
            visit["start"],
            visit["end"],
            delegation,
            observations,
            visit["ground"],
            summary,
            rng.choice(NOTES),
        )

    def visited_places(self):
        """Rows of visited places, in visit order. Each visit keeps the types of its places
        (for its report's summary) and its first place (for refusals during the visit)."""
        rng, horizon = self.rng("visited-places"), self.horizon
        total, visits = self.counts[VisitedPlace], self.visits
        caps = [len(visit["state"].facilities) for visit in visits]
        if total > sum(caps) or total < len(visits):
            raise CommandError("This scale gives more visited places than places to visit.")
        mean = total // len(visits)
        wanted = [min(cap, rng.randint(max(1, mean - 3), mean + 3)) for cap in caps]
        missing = total - sum(wanted)
        while missing:
            i = rng.randrange(len(visits))
            step = 1 if missing > 0 else -1
            if 1 <= wanted[i] + step <= caps[i]:
                wanted[i] += step
                missing -= step
        pk = self.next_id[VisitedPlace]
        accesses = [Access.GRANTED, Access.DELAYED, Access.REFUSED]
        for visit, count in zip(visits, wanted, strict=True):
            facilities = visit["state"].facilities
            chosen = sorted(rng.sample(range(len(facilities)), count))
            visit["types"] = sorted({facilities[i][1] for i in chosen})
            visit["first_place"] = facilities[chosen[0]][0]
            visit["places"] = chosen  # for the places its report's recommendations name
            start = visit["start"]
            last = visit["end"] or (horizon if start else None)
            for i in chosen:
                first_day = last_day = None
                if start:
                    first_day = days_between(rng, start, last)
                    last_day = min(first_day + rng.randint(0, 2) * DAY, last)
                access = rng.choices(accesses, [92, 6, 2])[0]
                yield (pk, visit["id"], facilities[i][0], first_day, last_day, access)
                pk += 1

    # Reports, responses, statements; their references are numbered together.

    def covered_visits(self, rng):
        """The visits of each report, earliest first, in the order of the reports' ids (of
        their last visit): one completed visit each, two for PAIRED_REPORTS of them.

        A pair is an ad hoc visit and the latest visit to the same State that ended before it
        began (as CPT/Inf (2017) 25 covers two visits to Greece in 2016), for ad hoc visits in
        random order: first within PAIR_GAP_DAYS, then (when too few were found, at small
        scales) at any distance. A visit is in one report at most."""
        completed = [v for v in self.visits if v["status"] == VisitStatus.COMPLETED]
        total = self.counts[Report]
        paired = round(total * PAIRED_REPORTS)
        if total + paired > len(completed):
            raise CommandError("This scale gives more reports than completed visits.")
        ended = {}  # State index: its completed visits in the order they ended
        for visit in completed:
            ended.setdefault(visit["state"].index, []).append(visit)
        for visits in ended.values():
            visits.sort(key=lambda visit: (visit["end"], visit["id"]))
        ends = {index: [visit["end"] for visit in visits] for index, visits in ended.items()}
        ad_hoc = [visit for visit in completed if visit["type"] == VisitType.AD_HOC]
        rng.shuffle(ad_hoc)
        pairs, used = [], set()
        for limit in (PAIR_GAP_DAYS, None):
            for second in ad_hoc:
                if len(pairs) == paired:
                    break
                if second["id"] in used:
                    continue
                index = second["state"].index
                earlier = ended[index]
                for j in range(bisect.bisect_left(ends[index], second["start"]) - 1, -1, -1):
                    first = earlier[j]
                    if limit and (second["start"] - first["end"]).days > limit:
                        break
                    if first["id"] not in used:
                        pairs.append([first, second])
                        used.update((first["id"], second["id"]))
                        break
        if len(pairs) < paired:
            raise CommandError("This scale gives too few ad hoc visits for reports on two visits.")
        single = [visit for visit in completed if visit["id"] not in used]
        units = [[visit] for visit in rng.sample(single, total - paired)] + pairs
        return sorted(units, key=lambda visits: visits[-1]["id"])

    def make_reports(self):
        """Reports as dicts of REPORT_COLUMNS, with the State and the visits they cover."""
        rng, horizon = self.rng("reports"), self.horizon
        units = self.covered_visits(rng)
        total = len(units)
        confidential = round(total * CONFIDENTIAL_REPORTS)
        # Half the confidential reports are the latest ones, still on their way; the other
        # half wait for years for the State's request.
        by_end = sorted(range(total), key=lambda i: (units[i][-1]["end"], i))
        recent = set(by_end[total - confidential // 2 :])
        older = rng.sample(by_end[: total - confidential // 2], confidential - len(recent))
        waiting = set(older)
        pk, reports = self.next_id[Report], []
        for i, visits in enumerate(units):
            state = visits[0]["state"]
            end = max(visit["end"] for visit in visits)  # reports come after the last visit
            available = (horizon - end).days
            adopt, transmit = rng.randint(30, 240), rng.randint(7, 90)
            request, publish = rng.randint(14, 720), rng.randint(7, 120)
            requested = published = transmitted = None
            checked, ground = True, ""
            if i in recent or i in waiting:
                if i in recent and available < 120:
                    adopt = min(adopt, available)
                    adopted = end + adopt * DAY
                else:
                    adopt, transmit = fit([adopt, transmit], available)
                    adopted = end + adopt * DAY
                    transmitted = adopted + transmit * DAY
                    if i in waiting and rng.random() < 0.3:
                        requested = (
                            transmitted + fit([request], (horizon - transmitted).days)[0] * DAY
                        )
                        checked = False
                    else:
                        checked = rng.random() < 0.5
            else:
                steps = fit([adopt, transmit, publish], available)
                adopted = end + steps[0] * DAY
                transmitted = adopted + steps[1] * DAY
                published = transmitted + steps[2] * DAY
                if not automatic_on(state, published):
                    adopt, transmit, request, publish = fit(
                        [adopt, transmit, request, publish], available
                    )
                    adopted = end + adopt * DAY
                    transmitted = adopted + transmit * DAY
                    requested = transmitted + request * DAY
                    published = requested + publish * DAY
                automatic = automatic_on(state, published)
                ground = (
                    PublicationGround.AUTOMATIC if automatic else PublicationGround.STATE_REQUEST
                )
            due = None
            if transmitted:
                ad_hoc = all(visit["type"] == VisitType.AD_HOC for visit in visits)
                due = treaty.add_months(transmitted, 3 if ad_hoc else 6)
            title, summary = self.report_text(rng, visits)
            reports.append(
                {
                    "id": pk,
                    "state_id": state.pk,
                    "reference": "",
                    "title": title,
                    "adopted_on": adopted,
                    "transmitted_on": transmitted,
                    "response_due_on": due,
                    "publication_requested_on": requested,
                    "personal_data_checked": checked,
                    "publication_ground": ground,
                    "public_statement_id": None,
                    "published_on": published,
                    "summary": summary,
                    "state": state,
                    "visits": visits,
                }
            )
            pk += 1
        return reports

    def report_text(self, rng, visits):
        state, language = visits[0]["state"], visits[0]["state"].language
        spans = [(visit["start"].isoformat(), visit["end"].isoformat()) for visit in visits]
        types = [list(PLACE_TYPES)[i] for i in sorted({i for v in visits for i in v["types"]})]
        places = ", ".join(PLACE_WORDS[language][place_type] for place_type in types)
        first, second = rng.sample(range(len(TOPICS)), 2)
        if language == "fr":
            if len(visits) == 1:
                kind = "périodique" if visits[0]["type"] == VisitType.PERIODIC else "ad hoc"
                what = f"à la visite {kind} effectuée du {spans[0][0]} au {spans[0][1]}"
            else:
                what = "aux visites effectuées " + " et ".join(
                    f"du {start} au {end}" for start, end in spans
                )
            title = f"Rapport au Gouvernement de {state.name} relatif {what}"
            summary = (
                f"La délégation a visité des lieux des types suivants : {places}. "
                f"Le rapport traite de {TOPICS[first][1]} et de {TOPICS[second][1]}."
            )
        else:
            if len(visits) == 1:
                kind = "periodic" if visits[0]["type"] == VisitType.PERIODIC else "ad hoc"
                what = f"the {kind} visit carried out from {spans[0][0]} to {spans[0][1]}"
            else:
                what = "the visits carried out " + " and ".join(
                    f"from {start} to {end}" for start, end in spans
                )
            title = f"Report to the Government of {state.name} on {what}"
            summary = (
                f"The delegation visited {places}. The report deals with "
                f"{TOPICS[first][0]} and {TOPICS[second][0]}."
            )
        return title, summary

    def report_visits(self, reports):
        """Rows of the link between each report and the visits it covers, in report order."""
        pk = self.next_id[ReportVisit]
        for report in reports:
            for visit in report["visits"]:
                yield (pk, report["id"], visit["id"])
                pk += 1

    def make_responses(self, reports):
        rng, horizon = self.rng("responses"), self.horizon
        transmitted = [report for report in reports if report["transmitted_on"]]
        total = self.counts[Response]
        if total > len(transmitted):
            raise CommandError("This scale gives more responses than transmitted reports.")
        answered = sorted(rng.sample(transmitted, total), key=lambda report: report["id"])
        pk, responses = self.next_id[Response], []
        for report in answered:
            received = min(report["transmitted_on"] + rng.randint(60, 300) * DAY, horizon)
            published = None
            if report["published_on"] and rng.random() < 0.85:
                published = min(
                    max(received, report["published_on"]) + rng.randint(0, 90) * DAY, horizon
                )
            responses.append([pk, report["id"], received, published, "", report["state"]])
            pk += 1
        return responses

    def make_statements(self):
        rng = self.rng("statements")
        weights = [state.weight for state in self.states]
        issued, rows = set(), []
        while len(issued) < self.counts[PublicStatement]:
            state = rng.choices(self.states, weights)[0]
            day = days_between(rng, state.first_day + 730 * DAY, state.last_day)
            if (state.pk, day) not in issued:
                issued.add((state.pk, day))
                rows.append((day, state.index, state))
        rows.sort(key=lambda row: (row[0], row[1]))
        pk, statements = self.next_id[PublicStatement], []
        for day, _index, state in rows:
            statements.append(
                [
                    pk,
                    state.pk,
                    day,
                    PublicStatement.Precision.DAY,
                    f"Public statement concerning {state.name}",
                    "",
                    "Bench data: the Committee made a public statement under Article 10(2) "
                    "after failures to co-operate that the authorities did not remedy.",
                    state,
                ]
            )
            pk += 1
        return statements

    def annex(self, reports, statements):
        """Article 10(2): a few reports are published as an annex to a public statement of
        their State, on the day it is issued: reports transmitted by then that the State had
        not let be published yet (published later in the draw; the counts do not change).
        One statement in ANNEX_EVERY, at least one, in random order while one has such a
        report."""
        rng = self.rng("annexes")
        wanted = max(1, round(len(statements) / ANNEX_EVERY))
        annexed = 0
        for statement in rng.sample(statements, len(statements)):
            if annexed == wanted:
                break
            day, state = statement[2], statement[7]
            later = [
                report
                for report in reports
                if report["state"] is state
                and report["transmitted_on"]
                and report["transmitted_on"] <= day
                and report["published_on"]
                and report["published_on"] >= day
                and not report["public_statement_id"]
            ]
            if later:
                report = rng.choice(later)
                report.update(
                    published_on=day,
                    publication_requested_on=None,
                    personal_data_checked=True,
                    publication_ground=PublicationGround.PUBLIC_STATEMENT,
                    public_statement_id=statement[0],
                )
                annexed += 1

    def number(self, reports, responses, statements):
        """One series per year, in order of publication, as the CPT/Inf series is numbered."""
        documents = [
            (row["published_on"], 0, row["id"], row, "reference")
            for row in reports
            if row["published_on"]
        ]
        documents += [(row[3], 1, row[0], row, 4) for row in responses if row[3]]
        documents += [(row[2], 2, row[0], row, 5) for row in statements]
        numbers = {}
        for day, _kind, _pk, row, column in sorted(documents, key=lambda d: d[:3]):
            numbers[day.year] = numbers.get(day.year, 0) + 1
            row[column] = f"{REFERENCE_SERIES} ({day.year}) {numbers[day.year]}"

    def documents(self, reports, responses, statements):
        """Rows of the language versions, in the order they came (a report's on its
        adoption, a response's and a statement's on publication): every report's authentic
        version in its State's language, and SECOND_VERSIONS of them one in the other of
        English and French; one version of each published response, in the State's language;
        each statement in English (authentic) and French. The files are paths only. Keeps
        each report's versions, (id, language) in id order, in ``self.versions``."""
        rng = self.rng("documents")
        second = set(rng.sample(range(len(reports)), round(len(reports) * SECOND_VERSIONS)))
        versions = []  # (day, kind, owner id, not authentic, row without its id)

        def add(day, kind, owner, language, authentic, sizes):
            owners = [None, None, None]
            owners[kind] = owner
            name = ("report", "response", "statement")[kind]
            path = f"documents/{day.year}/bench-{name}-{owner}-{language}.pdf"
            row = (*owners, language, path, rng.randint(*sizes), authentic)
            versions.append((day, kind, owner, not authentic, row))

        for i, report in enumerate(reports):
            language = report["state"].language
            add(report["adopted_on"], 0, report["id"], language, True, REPORT_BYTES)
            if i in second:
                other = "fr" if language == "en" else "en"
                add(report["adopted_on"], 0, report["id"], other, False, REPORT_BYTES)
        for response in responses:
            if response[3]:
                add(response[3], 1, response[0], response[5].language, True, RESPONSE_BYTES)
        for statement in statements:
            for language in ("en", "fr"):
                add(statement[2], 2, statement[0], language, language == "en", STATEMENT_BYTES)
        versions.sort(key=lambda version: version[:4])
        first_id = self.next_id[Document]
        self.versions = {}
        for index, (_day, kind, owner, _other, row) in enumerate(versions):
            if kind == 0:
                self.versions.setdefault(owner, []).append((first_id + index, row[3]))
            yield (first_id + index, *row)

    # The text of public reports' versions, as the extraction stores it (visits/tasks.py).

    def pages(self, reports):
        """The pages of TEXT_REPORTS public reports (at scale 1) drawn among all the public
        ones, in the order of their ids, each version's pages in order; then, the COPY done,
        each page's search vector (PostgreSQL) and the versions marked extracted."""
        rng, horizon = self.rng("pages"), self.horizon
        public = [
            report
            for report in reports
            if report["published_on"] is not None
            and report["published_on"] <= horizon
            and all(
                visit["status"] == VisitStatus.COMPLETED and visit["end"] <= horizon
                for visit in report["visits"]
            )
        ]
        wanted = min(len(public), self.counts[DocumentPage] // PAGES_PER_REPORT)
        chosen = sorted(rng.sample(public, wanted), key=lambda report: report["id"])
        self.write(
            DocumentPage,
            ["id", "document_id", "number", "text", "has_text_layer", "ocr", "config"],
            self.page_rows(rng, chosen),
        )
        self.mark_extracted()

    def page_rows(self, rng, reports):
        """Rows of the pages, generated as the COPY takes them (400 MB of text at scale 1
        never held at once). A report's versions share its plan: page n of each covers the
        same subjects. The first page opens with the reference, and the title in the
        version that is in the title's language."""
        texts = self.rng("page-texts")
        writers = {}  # language: its PageWriter, for the whole run
        pk = self.next_id[DocumentPage]
        for report in reports:
            versions = self.versions[report["id"]]
            counts = apportion(PAGES_PER_REPORT, [1] * len(versions))
            plan = report_plan(rng, max(counts))
            for (document, language), count in zip(versions, counts, strict=True):
                writer = writers.get(language)
                if writer is None:
                    writer = writers[language] = PageWriter(texts, language)
                writer.start()
                heading = report["reference"]
                if language == report["state"].language:
                    heading += "\n" + report["title"]
                config = search_config(language)
                for number in range(1, count + 1):
                    text = writer.page(plan[number - 1], number, heading if number == 1 else "")
                    yield (pk, document, number, text, True, False, config)
                    pk += 1

    def mark_extracted(self):
        """On PostgreSQL, the search vector of every page written: in one UPDATE, each page
        in its configuration (visits.tasks.page_vector: ``visits_`` and the config); then
        the versions that have pages marked extracted, with their count."""
        first_page, connection = self.next_id[DocumentPage], self.writer.connection
        if connection.vendor == "postgresql":
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE visits_documentpage "
                    "SET search = to_tsvector(('visits_' || config)::regconfig, text) "
                    "WHERE id >= %s",
                    [first_page],
                )
                updated = cursor.rowcount
            self.progress("search vectors of pages", updated, started)
        started = time.monotonic()
        pages = DocumentPage.private_objects.filter(document=OuterRef("pk"))
        counted = pages.order_by().values("document").annotate(n=Count("pk")).values("n")
        updated = (
            Document.private_objects.filter(pk__gte=self.next_id[Document])
            .filter(Exists(pages))
            .update(
                text_status=TextStatus.DONE,
                text_error="",
                page_count=Subquery(counted),
                pages_without_text=0,
                text_extracted_at=self.writer.now,
            )
        )
        self.progress("versions marked extracted", updated, started)

    # Refusals to co-operate, in the order they occurred.

    def refusals(self, statements):
        rng, horizon = self.rng("refusals"), self.horizon
        total = self.counts[CooperationRefusal]
        kinds = list(REFUSALS)
        weights = [weight for weight, _when, _summary in REFUSALS.values()]
        completed = [v for v in self.visits if v["status"] == VisitStatus.COMPLETED]
        postponed = [
            visit
            for visit in self.visits
            if visit["status"] == VisitStatus.POSTPONED and visit["planned"] <= horizon
        ]
        state_weights = [state.weight for state in self.states]
        issued = {}  # State: sorted statement days, and the statements
        for statement in statements:
            days, rows = issued.setdefault(statement[7], ([], []))
            days.append(statement[2])
            rows.append(statement)
        undisclosed = [True] * round(total * UNDISCLOSED_REFUSALS)
        undisclosed += [False] * (total - len(undisclosed))
        rng.shuffle(undisclosed)
        refusals = []
        for n, hidden in enumerate(undisclosed):
            kind = rng.choices(kinds, weights)[0]
            when = REFUSALS[kind][1]
            visit = facility = None
            if when == "postponed" and not postponed:
                kind, when = RefusalKind.OTHER, "during"
            if rng.random() < 0.1:
                kind = rng.choice(WITHOUT_VISIT)
                state = rng.choices(self.states, state_weights)[0]
                occurred = days_between(rng, state.first_day, state.last_day)
            elif when == "postponed":
                visit = rng.choice(postponed)
                state = visit["state"]
                occurred = visit["notified"] or visit["planned"] - 5 * DAY
            else:
                visit = rng.choice(completed)
                state = visit["state"]
                if when == "during":
                    occurred = visit["start"] + rng.randint(0, visit["length"] - 1) * DAY
                    facility = visit["first_place"]
                elif when == "notified":
                    occurred = visit["notified"]
                else:
                    last = min(horizon, state.last_day)
                    occurred = min(visit["end"] + rng.randint(30, 700) * DAY, last)
            disclosed = resolved = statement = None
            if not hidden:
                disclosed = min(occurred + rng.randint(60, 540) * DAY, horizon)
                days, rows = issued.get(state, ([], []))
                later = bisect.bisect_right(days, occurred)
                soon = later < len(days) and days[later] <= occurred + 730 * DAY
                if soon and rng.random() < 0.3:
                    statement = rows[later]
                    disclosed = min(disclosed, statement[2])
            if kind != RefusalKind.RESPONSE_OVERDUE and rng.random() < 0.35:
                resolved = min(occurred + rng.randint(1, 180) * DAY, horizon)
            refusals.append(
                (
                    occurred,
                    n,
                    state.pk,
                    visit["id"] if visit else None,
                    facility,
                    kind,
                    REFUSALS[kind][2],
                    rng.choice(NOTES),
                    disclosed,
                    resolved,
                    statement[0] if statement else None,
                )
            )
        refusals.sort(key=lambda refusal: refusal[:2])
        first_id = self.next_id[CooperationRefusal]
        for index, (occurred, _n, *rest) in enumerate(refusals):
            state, visit, facility, *rest = rest
            yield (first_id + index, state, visit, facility, occurred, *rest)

    # Recommendations, their repeats and their assessments.

    def recommendations(self, reports, responses):
        """The reports' recommendations, the themes they are filed under, the places they
        name, and their assessments."""
        themes = self.topic_themes()  # read now: no query can be sent while a COPY runs
        drawn = self.make_recommendations(reports)
        starts, by_state = self.chronology(reports)
        self.choose_repeats(reports, drawn, starts, by_state)
        self.name_places(reports, drawn)
        self.write(
            Recommendation,
            [
                "id",
                "report_id",
                "paragraph",
                "paragraph_number",
                "kind",
                "text",
                "immediate_action",
                "repeats_id",
            ],
            self.recommendation_rows(reports, drawn),
        )
        self.write(
            RecommendationTheme,
            ["id", "recommendation_id", "theme_id"],
            self.recommendation_themes(drawn, themes),
            label="themes of recommendations",
        )
        self.write(
            RecommendationFacility,
            ["id", "recommendation_id", "facility_id"],
            self.recommendation_places(reports, drawn),
            label="places named by recommendations",
        )
        self.write(
            Assessment,
            [
                "id",
                "recommendation_id",
                "assessed_on",
                "source",
                "response_id",
                "report_id",
                "status",
                "note",
            ],
            self.assessments(reports, responses, drawn, starts, by_state),
        )

    def topic_themes(self):
        """Each topic's theme ids, from the themes in the database (for a code that is not
        there, another theme)."""
        themes = dict(Theme.private_objects.order_by("position", "code").values_list("code", "id"))
        if not themes:
            raise CommandError("The database holds no theme: migrate it first.")
        ids = list(themes.values())
        topic_themes = []
        for n, (_weight, codes, *_texts) in enumerate(RECOMMENDATION_TOPICS):
            chosen = []
            for k, code in enumerate(codes):
                theme = themes.get(code, ids[(n + k) % len(ids)])
                if theme not in chosen:
                    chosen.append(theme)
            topic_themes.append(chosen)
        return topic_themes

    def make_recommendations(self, reports):
        """What each recommendation is, column by column (lists by index: its id is the first
        id plus its index), the reports' in the order of their ids: about ten a report (more
        after a periodic visit than after an ad hoc one), paragraphs increasing through the
        report ("57", "57-58"; now and then another kind in the paragraph of the one before),
        each on a topic; NAMED_PLACES of them name one or two places."""
        rng = self.rng("recommendations")
        weights = [
            rng.uniform(0.5, 1.5)
            * (1.3 if any(v["type"] == VisitType.PERIODIC for v in report["visits"]) else 0.6)
            for report in reports
        ]
        per_report = apportion(self.counts[Recommendation], weights, minimum=1)
        kinds, kind_weights = list(KINDS), list(itertools.accumulate(KINDS.values()))
        topics = range(len(RECOMMENDATION_TOPICS))
        topic_weights = list(itertools.accumulate(t[0] for t in RECOMMENDATION_TOPICS))
        drawn = {
            "report": [],  # the report's index in ``reports``
            "kind": [],
            "paragraph": [],
            "immediate": [],
            "topic": [],
            "variant": [],  # which of the topic's recommended measures
            "two_themes": [],
            "places": {},  # index: how many places it names, then which (see name_places)
            "repeats": {},  # index: the index of the recommendation it repeats
            "first": [],  # each report's first index
            "count": per_report,
        }
        for r, count in enumerate(per_report):
            drawn["first"].append(len(drawn["report"]))
            free, previous, shared = rng.randint(8, 30), None, set()
            for _ in range(count):
                kind = rng.choices(kinds, cum_weights=kind_weights)[0]
                if previous and kind not in shared and rng.random() < SHARED_PARAGRAPHS:
                    paragraph = previous  # unique per report and kind: a kind not yet in it
                    shared.add(kind)
                else:
                    start = free + rng.randint(0, 6)
                    end = start + rng.randint(1, 2) if rng.random() < RANGED_PARAGRAPHS else start
                    paragraph = f"{start}-{end}" if end > start else str(start)
                    free, previous, shared = end + 1, paragraph, {kind}
                topic = rng.choices(topics, cum_weights=topic_weights)[0]
                if rng.random() < NAMED_PLACES:
                    drawn["places"][len(drawn["report"])] = rng.randint(1, 2)
                drawn["report"].append(r)
                drawn["kind"].append(kind)
                drawn["paragraph"].append(paragraph)
                drawn["immediate"].append(
                    kind == RecommendationKind.IMMEDIATE_OBSERVATION
                    or rng.random() < IMMEDIATE_ACTION
                )
                drawn["topic"].append(topic)
                drawn["variant"].append(rng.randrange(len(RECOMMENDATION_TOPICS[topic][3])))
                drawn["two_themes"].append(rng.random() < TWO_THEMES)
        return drawn

    def chronology(self, reports):
        """Each report's first visit day (``Report.visits_start_on``, which the model's rules
        compare), and each State's reports in that order: (days, report indices)."""
        starts = [min(visit["start"] for visit in report["visits"]) for report in reports]
        by_state = {}
        for r in sorted(range(len(reports)), key=lambda r: (starts[r], r)):
            days, order = by_state.setdefault(reports[r]["state"].index, ([], []))
            days.append(starts[r])
            order.append(r)
        return starts, by_state

    def choose_repeats(self, reports, drawn, starts, by_state):
        """REPEATED_RECOMMENDATIONS of the recommendations repeat one of an earlier report of
        their State (one of the three that began last before theirs, the latest the most
        often), of their kind when it has one, and take its topic and themes. Drawn in the
        order the reports began, so that a repeat of a repeat copies what it became."""
        rng = self.rng("repeats")
        earlier = []
        for r, report in enumerate(reports):
            days, order = by_state[report["state"].index]
            began = bisect.bisect_left(days, starts[r])  # strictly earlier: a day before
            earlier.append(order[max(0, began - 3) : began])
        eligible = [i for i, r in enumerate(drawn["report"]) if earlier[r]]
        wanted = min(len(eligible), round(len(drawn["report"]) * REPEATED_RECOMMENDATIONS))
        chosen = rng.sample(eligible, wanted)
        chosen.sort(key=lambda i: (starts[drawn["report"][i]], i))
        repeated_by = {}  # index: the first later report that repeats it
        for i in chosen:
            r = drawn["report"][i]
            candidates = earlier[r]
            source = rng.choices(candidates, RECENT_WEIGHTS[-len(candidates) :])[0]
            theirs = range(drawn["first"][source], drawn["first"][source] + drawn["count"][source])
            same_kind = [j for j in theirs if drawn["kind"][j] == drawn["kind"][i]]
            j = rng.choice(same_kind or theirs)
            drawn["repeats"][i] = j
            for column in ("topic", "variant", "two_themes"):
                drawn[column][i] = drawn[column][j]
            repeated_by.setdefault(j, r)
        drawn["repeated_by"] = repeated_by

    def name_places(self, reports, drawn):
        """The places a recommendation names: of those its report's visits went to, of the
        types its topic concerns when there are some."""
        rng = self.rng("recommendation-places")
        for i, count in drawn["places"].items():
            report = reports[drawn["report"][i]]
            facilities = report["state"].facilities
            visited = sorted({place for visit in report["visits"] for place in visit["places"]})
            types = {TYPE_INDEX[t] for t in RECOMMENDATION_TOPICS[drawn["topic"][i]][2]}
            concerned = [place for place in visited if facilities[place][1] in types]
            among = concerned or visited
            drawn["places"][i] = rng.sample(among, min(len(among), count))

    def recommendation_rows(self, reports, drawn):
        """Rows of the recommendations, in the order of their reports' ids."""
        rng = self.rng("recommendation-texts")
        first_id = self.next_id[Recommendation]
        repeats, places = drawn["repeats"], drawn["places"]
        for i, r in enumerate(drawn["report"]):
            report, paragraph, kind = reports[r], drawn["paragraph"][i], drawn["kind"][i]
            facilities = report["state"].facilities
            names = [
                f"{TYPE_NAMES[facilities[place][1]]} No. {place + 1}"  # as make_facilities
                for place in places.get(i, ())
            ]
            target = repeats.get(i)
            text = recommendation_text(
                rng, kind, drawn["topic"][i], drawn["variant"][i], target is not None, names
            )
            yield (
                first_id + i,
                report["id"],
                paragraph,
                paragraph_number(paragraph),
                kind,
                text,
                drawn["immediate"][i],
                None if target is None else first_id + target,
            )

    def recommendation_themes(self, drawn, themes):
        """One or two themes each: the topic's first, and its second for TWO_THEMES."""
        pk, first_id = self.next_id[RecommendationTheme], self.next_id[Recommendation]
        for i, (topic, two) in enumerate(zip(drawn["topic"], drawn["two_themes"], strict=True)):
            for theme in themes[topic][: 2 if two else 1]:
                yield (pk, first_id + i, theme)
                pk += 1

    def recommendation_places(self, reports, drawn):
        """Rows of the links between a recommendation and the places it names."""
        pk, first_id = self.next_id[RecommendationFacility], self.next_id[Recommendation]
        for i, places in sorted(drawn["places"].items()):
            facilities = reports[drawn["report"][i]]["state"].facilities
            for place in places:
                yield (pk, first_id + i, facilities[place][0])
                pk += 1

    def later_reports(self, reports, r, starts, by_state):
        """Up to two reports of the State of ``reports[r]`` (transmitted) that began after it
        and were transmitted since, the first that began first: sources of an assessment."""
        days, order = by_state[reports[r]["state"].index]
        transmitted, found = reports[r]["transmitted_on"], []
        after = bisect.bisect_right(days, starts[r])
        for other in order[after : after + 8]:
            if (reports[other]["transmitted_on"] or datetime.date.min) >= transmitted:
                found.append(other)
                if len(found) == 2:
                    break
        return found

    def assessments(self, reports, responses, drawn, starts, by_state):
        """ASSESSED_RECOMMENDATIONS of the recommendations (of transmitted reports: none can
        be assessed before) are assessed once, or twice for TWO_ASSESSMENTS of those with a
        second source: from their report's response, from a later report of their State
        transmitted since (the first that repeats it finds it not or partly implemented), or,
        for OTHER_SOURCES of them and those without either, from another source with a note.
        Never before the source, nor after the horizon; in date order."""
        rng, horizon = self.rng("assessments"), self.horizon
        answered = {row[1]: (row[0], row[2]) for row in responses}  # report id: id, received
        total = len(drawn["report"])
        eligible = [i for i, r in enumerate(drawn["report"]) if reports[r]["transmitted_on"]]
        wanted = min(len(eligible), round(total * ASSESSED_RECOMMENDATIONS))
        statuses = {
            repeated: (list(weights), list(itertools.accumulate(weights.values())))
            for repeated, weights in ((False, STATUSES), (True, REPEATED_STATUSES))
        }
        later, rows = {}, []
        for i in sorted(rng.sample(eligible, wanted)):
            r = drawn["report"][i]
            report, transmitted = reports[r], reports[r]["transmitted_on"]
            if r not in later:
                later[r] = self.later_reports(reports, r, starts, by_state)
            sources = []
            if report["id"] in answered:
                sources.append((AssessmentSource.RESPONSE, answered[report["id"]], False))
            by = drawn["repeated_by"].get(i)
            if by is not None and (reports[by]["transmitted_on"] or datetime.date.min) >= (
                transmitted
            ):
                sources.append((AssessmentSource.REPORT, by, True))
            sources += [(AssessmentSource.REPORT, o, False) for o in later[r] if o != by]
            if not sources or rng.random() < OTHER_SOURCES:
                sources.insert(0, (AssessmentSource.OTHER, None, False))
            two = len(sources) > 1 and rng.random() < TWO_ASSESSMENTS
            for source, what, repeated in sources[: 2 if two else 1]:
                response = later_report = None
                note = ""
                if source == AssessmentSource.RESPONSE:
                    response, received = what
                    day = min(received + rng.randint(0, 90) * DAY, horizon)
                elif source == AssessmentSource.REPORT:
                    later_report = reports[what]["id"]
                    day = min(reports[what]["transmitted_on"] + rng.randint(0, 60) * DAY, horizon)
                else:
                    day = days_between(rng, transmitted, horizon)
                    note = rng.choice(OTHER_NOTES)
                names, weights = statuses[repeated]
                status = rng.choices(names, cum_weights=weights)[0]
                rows.append((day, i, len(rows), source, response, later_report, status, note))
        rows.sort(key=lambda row: row[:3])
        first_id, first_recommendation = self.next_id[Assessment], self.next_id[Recommendation]
        for index, (day, i, _n, *rest) in enumerate(rows):
            source, response, later_report, status, note = rest
            yield (
                first_id + index,
                first_recommendation + i,
                day,
                source,
                response,
                later_report,
                status,
                note,
            )


REPORT_COLUMNS = [
    "id",
    "state_id",
    "reference",
    "title",
    "adopted_on",
    "transmitted_on",
    "response_due_on",
    "publication_requested_on",
    "personal_data_checked",
    "publication_ground",
    "public_statement_id",
    "published_on",
    "summary",
]
BENCH_MODELS = [
    State,
    Facility,
    Visit,
    VisitedPlace,
    Report,
    ReportVisit,
    Response,
    PublicStatement,
    CooperationRefusal,
    Document,
    DocumentPage,
    Recommendation,
    RecommendationTheme,
    RecommendationFacility,
    Assessment,
]
# Records that only staff (or seed_demo) make: any of them means the database is in use.
RECORD_MODELS = [
    Facility,
    Visit,
    VisitedPlace,
    Report,
    ReportVisit,
    Response,
    CooperationRefusal,
    Document,
    Recommendation,
    Assessment,
]


class Command(BaseCommand):
    help = (
        "Fill an empty database with a large, fictional, deterministic data set for "
        "benchmarks (at scale 1: 200,000 visits, 1,000,000 visited places)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies every count (default 1)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the bench data even though the database holds other records.",
        )

    def handle(self, *args, scale, seed, force, **options):
        if not 0.001 <= scale <= 20:
            raise CommandError("--scale must be between 0.001 and 20.")
        connection = connections[DEFAULT_DB_ALIAS]
        self.refuse_unless_empty(force)
        counts = counts_at(scale)
        horizon = min(HORIZON, timezone.localdate())
        self.stdout.write(
            f"Generating bench data (scale {scale:g}, seed {seed}) into "
            f"{connection.vendor} database {connection.settings_dict['NAME']}:"
        )
        started = time.monotonic()
        writer = Writer(connection, timezone.now())
        with transaction.atomic():
            written = BenchData(counts, seed, horizon, writer, self.stdout.write).run()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), BENCH_MODELS):
                    cursor.execute(sql)
            # COPY and bulk_create send no signal: each report's visit days are stored here,
            # and the cached pages told that the public data changed.
            refresh_visit_span(Report.private_objects.all())
            published_data_changed()
        self.analyse(connection)
        confidential = Report.private_objects.filter(
            state__name__startswith=NAME_PREFIX, published_on__isnull=True
        ).count()
        undisclosed = CooperationRefusal.private_objects.filter(
            state__name__startswith=NAME_PREFIX, disclosed_on__isnull=True
        ).count()
        pages = DocumentPage.private_objects.filter(
            document__report__state__name__startswith=NAME_PREFIX
        )
        with_text = pages.values("document__report").distinct().count()
        self.stdout.write(
            f"Done: {sum(written.values()):,} rows in {time.monotonic() - started:.1f} s "
            f"({confidential:,} confidential reports, {undisclosed:,} undisclosed refusals, "
            f"{pages.count():,} pages of text in {with_text:,} public reports)."
        )

    def refuse_unless_empty(self, force):
        bench = State.private_objects.filter(name__startswith=NAME_PREFIX).count()
        if bench:
            raise CommandError(
                f"This database already holds bench data ({bench} bench States): generate "
                "into an empty database."
            )
        if force:
            return
        held = [
            f"{model.private_objects.count():,} {model._meta.verbose_name_plural}"
            for model in RECORD_MODELS
            if model._base_manager.exists()
        ]
        if State.private_objects.filter(is_demo=True).exists():
            held.append("demo States")
        if held:
            raise CommandError(
                "This database holds records that are not bench data ("
                + ", ".join(held)
                + "). Use an empty database, or --force to add the bench data anyway."
            )

    def analyse(self, connection):
        """Vacuum and analyse the tables, as autovacuum would in production, so that
        benchmarks see settled tables and fresh statistics (PostgreSQL; not possible inside
        a transaction, as in tests)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model in BENCH_MODELS:
                cursor.execute(
                    f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}"
                )
        self.stdout.write(f"  vacuumed and analysed in {time.monotonic() - started:.1f} s")
