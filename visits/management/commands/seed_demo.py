"""Add a fictional demo data set on top of the real reference data.

    python manage.py seed_demo [--seed 2024]

The demo States use ISO 3166 user-assigned codes (XA-XZ are reserved for private use) and
names ending in "(demo)", so that no one mistakes them for real records. Dates are computed
from ``timezone.localdate()``: the same seed on the same day gives the same data. Every
record passes ``full_clean()`` before it is saved, the run is one transaction, and a second
run changes nothing.
"""

import datetime
import itertools
import random
import textwrap
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from visits import treaty
from visits.models import (
    Access,
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    CooperationRefusal,
    Document,
    Facility,
    PlaceType,
    PostponementGround,
    PublicationGround,
    PublicStatement,
    Recommendation,
    RecommendationKind,
    RefusalKind,
    Report,
    Response,
    State,
    Theme,
    Visit,
    VisitedPlace,
    VisitStatus,
    VisitType,
)

D = datetime.date.fromisoformat
DAY = datetime.timedelta(days=1)


# What the demo versions say, page after page, in their language: enough for the search
# inside reports to find something ("lawyer", "restraint", "avocat", "détention").
DEMO_PAGES = {
    "en": [
        "The delegation visited police stations, prisons and a psychiatric hospital. It "
        "received several allegations of physical ill-treatment by police officers at the "
        "time of apprehension.",
        "Detained persons said they had not been informed of their rights. The Committee "
        "recommends that access to a lawyer be guaranteed from the very outset of police "
        "custody, and that a doctor be called without delay.",
        "In the prison, material conditions of detention were poor: overcrowded cells, "
        "insufficient lighting and ventilation, and no purposeful activities.",
        "Mechanical restraint was applied to patients for days. The Committee recommends "
        "that restraint be used only as a last resort and be recorded in a register.",
        "A taser was found in the office of the investigators. Its use on detained persons "
        "must stop at once.",
    ],
    "fr": [
        "La délégation a visité des commissariats de police, des prisons et un hôpital "
        "psychiatrique. Elle a reçu des allégations de mauvais traitements physiques lors "
        "de l'interpellation.",
        "Les personnes détenues ont déclaré ne pas avoir été informées de leurs droits. Le "
        "Comité recommande que l'accès à un avocat soit garanti dès le début de la garde à "
        "vue et qu'un médecin soit appelé sans délai.",
        "Dans la prison, les conditions matérielles de détention étaient médiocres : "
        "cellules surpeuplées, éclairage et aération insuffisants, aucune activité.",
        "La contention mécanique a été appliquée à des patients pendant plusieurs jours. "
        "Le Comité recommande qu'elle ne soit utilisée qu'en dernier recours et consignée "
        "dans un registre.",
        "Un pistolet à impulsion électrique a été trouvé dans le bureau des enquêteurs. "
        "Son usage sur des personnes détenues doit cesser immédiatement.",
    ],
}


def _pdf_line(line):
    """A line of text as a PDF string in WinAnsiEncoding (French accents included)."""
    data = line.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def demo_pdf(text, language="en"):
    """A PDF whose first page says ``text`` and whose next pages say the demo paragraphs in
    ``language`` (English for a language without any): what a demo version's file holds."""
    pages = [text] + DEMO_PAGES.get(language, DEMO_PAGES["en"])
    count = len(pages)
    # Objects: 1 catalogue, 2 page tree, 3 font, then a page and its content for each page.
    kids = b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for n, page in enumerate(pages):
        lines = textwrap.wrap(page, 85) or [""]
        stream = (
            b"BT /F1 11 Tf 14 TL 50 780 Td "
            + b" T* ".join(_pdf_line(line) + b" Tj" for line in lines)
            + b" ET"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * n)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    return bytes(out)


# code, name, signed, ratified, language of its reports, automatic publication since,
# centre (latitude, longitude), localities as "locality/region" with the capital first.
# fmt: off
STATES = [
    ("XA", "Arvenia (demo)", "1987-11-26", "1989-01-06", "en", "2014-01-01", (47.3, 13.9),
     "Arvenburg/Capital Region, Lenhof/Upper Vale, Saltmere/Coastal Province"),
    ("XB", "Belmora (demo)", "1988-03-14", "1990-09-20", "fr", None, (46.1, 4.2),
     "Montclaire/Région capitale, Vaulrenne/Val d'Orme, Castelbrune/Côte d'Ambre"),
    ("XC", "Corvania (demo)", "1991-05-02", "1993-02-11", "en", None, (53.2, -2.1),
     "Corvany City/Capital District, Kessmoor/Northern Moors, Brannock/River Province"),
    ("XD", "Drenovia (demo)", "1996-02-28", "1998-05-05", "en", None, (55.7, 37.0),
     "Drenograd/Capital City, Krasnovel/River Region, Ostrolog/Eastern Region"),
    ("XE", "Eskaria (demo)", "1993-10-04", "1995-07-18", "fr", None, (44.0, 1.5),
     "Eskarville/Capitale, Port-Saint-Élian/Littoral, Roncelande/Hautes-Combes"),
    ("XF", "Fennolia (demo)", "1989-01-16", "1990-12-20", "en", "2019-07-01", (61.5, 24.8),
     "Fennholm/Capital Region, Lakkavaara/Lakeland, Saarenpää/Archipelago"),
    ("XG", "Galdoria (demo)", "1997-06-10", "1999-03-30", "en", None, (51.9, 0.8),
     "Galdor/Capital District, Merrowdeep/Southern Hills, Thornmere/Fenlands"),
    ("XH", "Hestmark (demo)", "1990-04-23", "1991-11-08", "en", None, (60.4, 9.7),
     "Hestby/Capital Region, Ravnsund/Fjord County, Tindholm/Northern County"),
    ("XJ", "Jorvalia (demo)", "1987-11-26", "1988-12-19", "fr", "2009-10-01", (50.1, 5.3),
     "Jorvalle/Région capitale, Montfaucon-les-Pins/Hautes-Terres, Saint-Orvin/Pays d'Ance"),
    ("XL", "Lunavia (demo)", "2001-09-12", "2003-04-01", "en", None, (41.2, 14.6),
     "Lunaport/Capital Province, Castel Ardo/Highlands, Porto Selva/Island Province"),
    ("XM", "Mirelland (demo)", "1988-01-21", "1988-10-14", "en", None, (53.4, -7.9),
     "Mirell/Capital Region, Ballykerrin/Western Counties, Kilbarra/Southern Coast"),
    ("XN", "Norvesta (demo)", "2004-12-06", "2006-06-27", "fr", None, (45.6, 6.9),
     "Norvès/Capitale, Val-Brenne/Haut-Plateau, Sainte-Agathe-du-Lac/Région des Lacs"),
]
PENDING_DENUNCIATION, FORMER_PARTY = "XD", "XG"

# place type: (capacity range or None, name patterns). A State has at most one place of
# each type, so that names never repeat within a State.
PLACES = {
    PlaceType.POLICE: ((8, 40), ["{} Central Police Station", "{} District Police Directorate"]),
    PlaceType.PRISON: ((150, 1400), ["{} Prison", "{} Remand Prison", "{} Women's Prison"]),
    PlaceType.IMMIGRATION: ((40, 250), ["{} Detention Centre for Foreigners", "{} Removal Centre"]),
    PlaceType.PSYCHIATRIC: ((80, 600), ["{} Psychiatric Hospital", "{} Forensic Clinic"]),
    PlaceType.SOCIAL_CARE: ((40, 300), ["{} Social Care Home", "{} Home for the Disabled"]),
    PlaceType.JUVENILE: ((20, 120), ["{} Juvenile Correctional Centre", "{} Centre for Minors"]),
    PlaceType.MILITARY: ((5, 30), ["{} Garrison Detention Unit", "{} Military Police Cells"]),
    PlaceType.OTHER: (None, ["{} Court Holding Cells", "{} Border Crossing Transit Zone"]),
}

# Demo recommendations: (theme code, English, French), by the type of place they concern.
RECOMMENDATIONS = {
    PlaceType.POLICE: [
        (
            "law_enforcement",
            "The CPT recommends that the authorities deliver a firm message to police officers "
            "that ill-treatment of detained persons is not acceptable and will be punished.",
            "Le CPT recommande que les autorités rappellent fermement aux policiers que les "
            "mauvais traitements infligés aux personnes détenues sont inacceptables et seront "
            "sanctionnés.",
        ),
        (
            "lawyer",
            "The CPT recommends that every person detained by the police have access to a "
            "lawyer from the very outset of the deprivation of liberty.",
            "Le CPT recommande que toute personne détenue par la police ait accès à un avocat "
            "dès le tout début de la privation de liberté.",
        ),
        (
            "doctor",
            "The CPT recommends that medical examinations of detained persons take place out of "
            "the hearing and sight of police officers.",
            "Le CPT recommande que les examens médicaux des personnes détenues se déroulent hors "
            "de l'écoute et de la vue des policiers.",
        ),
    ],
    PlaceType.PRISON: [
        (
            "prisons",
            "The CPT recommends that every prisoner have at least 4 m² of living space in "
            "multiple-occupancy cells, and that overcrowding be reduced.",
            "Le CPT recommande que chaque détenu dispose d'au moins 4 m² d'espace de vie en "
            "cellule collective et que la surpopulation soit réduite.",
        ),
        (
            "prison_health_care",
            "The CPT recommends that every newly arrived prisoner be seen by a doctor within "
            "24 hours of admission.",
            "Le CPT recommande que tout détenu nouvellement arrivé soit vu par un médecin dans "
            "les 24 heures suivant son admission.",
        ),
        (
            "solitary_confinement",
            "The CPT recommends that solitary confinement as a disciplinary punishment never "
            "exceed 14 days.",
            "Le CPT recommande que la mise à l'isolement à titre de sanction disciplinaire "
            "n'excède jamais 14 jours.",
        ),
    ],
    PlaceType.IMMIGRATION: [
        (
            "immigration_detention",
            "The CPT recommends that the detention of families with children in the centre be "
            "brought to an end.",
            "Le CPT recommande qu'il soit mis fin à la rétention de familles avec enfants dans "
            "le centre.",
        ),
    ],
    PlaceType.PSYCHIATRIC: [
        (
            "psychiatry",
            "The CPT recommends that every use of mechanical restraint be recorded in a "
            "dedicated register and last no longer than strictly necessary.",
            "Le CPT recommande que tout recours à la contention mécanique soit consigné dans un "
            "registre spécifique et ne dure pas plus que le strict nécessaire.",
        ),
    ],
    PlaceType.SOCIAL_CARE: [
        (
            "social_care",
            "The CPT recommends that residents be offered a range of therapeutic and "
            "recreational activities.",
            "Le CPT recommande que des activités thérapeutiques et récréatives variées soient "
            "proposées aux résidents.",
        ),
    ],
    PlaceType.JUVENILE: [
        (
            "juveniles",
            "The CPT recommends that juveniles never be accommodated together with adults.",
            "Le CPT recommande que les mineurs ne soient jamais hébergés avec des adultes.",
        ),
    ],
}
REQUEST = (
    "The CPT requests information on the outcome of the investigation into the allegations of "
    "ill-treatment described in this report.",
    "Le CPT souhaite recevoir des informations sur l'issue de l'enquête relative aux "
    "allégations de mauvais traitements décrites dans le présent rapport.",
)
COMMENT = (
    "The CPT notes with concern the poor state of repair of the cells.",
    "Le CPT note avec préoccupation le mauvais état des cellules.",
)
OBSERVATION = (
    "Immediate observation under Article 8(5): the basement cells must be withdrawn from "
    "service at once.",
    "Observation immédiate au titre de l'article 8, paragraphe 5 : les cellules du sous-sol "
    "doivent être retirées du service sans délai.",
)

FIRST_NAMES = ["Anna", "Björn", "Claire", "Dario", "Elif", "Farid", "Greta", "Hugo", "Ilse",
               "Jonas", "Katarina", "Luca", "Marta", "Nikos", "Olga", "Pieter", "Rasa", "Sofia"]
SURNAMES = ["Albers", "Brennan", "Costa", "Dimitrova", "Eriksen", "Fontaine", "Gashi", "Horvat",
            "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Ortega", "Petit"]
ROLES = ["Member of the Committee", "Member of the Committee", "Expert (forensic doctor)",
         "Expert (psychiatrist)", "Member of the Secretariat", "Interpreter"]
OBSERVATIONS = [
    "Under Article 8(5), the delegation asked for the basement cells of {} to be taken out of "
    "service and for information within three months.",
    "The delegation asked the authorities to confirm within one month that every person held "
    "at {} has access to a doctor and a lawyer from the outset.",
    "The delegation asked for an account, within three months, of the investigation into "
    "allegations of ill-treatment gathered at {}.",
]
VISIT_NOTES = [
    "Liaison officer at the Ministry of Justice confirmed the notification by telephone.",
    "Permanent Representation asked for the list of places in advance; request declined.",
    "Interpreters booked through the Secretariat; one replaced at short notice.",
]

# What each kind of refusal says, and when the filler places the ones it adds: during the
# visit, on its notification, or after it (None: it arises from other records).
REFUSALS = {
    RefusalKind.ACCESS_REFUSED: (None, "The delegation was refused access to {}."),
    RefusalKind.ACCESS_DELAYED: (None, "The delegation was kept waiting for two hours at {}."),
    RefusalKind.INTERVIEW_REFUSED: ("during", "Staff at {} insisted on attending interviews."),
    RefusalKind.EXPERT_REFUSED: ("notified", "The authorities objected to an expert."),
    RefusalKind.INFORMATION_WITHHELD: ("during", "Custody registers at {} were not shown."),
    RefusalKind.REQUEST_UNANSWERED: ("after", "No answer to a request on investigations."),
    RefusalKind.RESPONSE_OVERDUE: (None, "No response to the report by the deadline."),
    RefusalKind.REPRISAL: ("after", "Persons held at {} who met the delegation were threatened."),
    RefusalKind.RECOMMENDATIONS_IGNORED: ("after", "Safeguards recommended long ago are absent."),
    RefusalKind.ARTICLE9_POSTPONEMENT: (None, "Article 9 ({}) invoked: the visit was postponed."),
    RefusalKind.OTHER: ("during", "The liaison officer was unreachable during the visit to {}."),
}
FILL_KINDS = [kind for kind, (when, _) in REFUSALS.items() if when]
REFUSAL_NOTES = [
    "Name of the official who refused is in the head of delegation's notes.",
    "Raised with the liaison officer on the spot; no written answer.",
    "Bureau to consider raising it in the next letter to the Permanent Representation.",
]

# Completed visits per State: days before its horizon (today, or before its denunciation).
WINDOWS = [(2900, 3300), (1500, 2200), (380, 900), (45, 150)]
# Visits not completed yet, and where their planned start lies relative to today.
UPCOMING = [(VisitStatus.PLANNED, (20, 300))] * 4 + [(VisitStatus.NOTIFIED, (1, 5))] * 2
UPCOMING += [(VisitStatus.IN_PROGRESS, (-2, -1))] * 2 + [(VisitStatus.POSTPONED, (-200, 30))] * 3
UPCOMING += [(VisitStatus.CANCELLED, (-300, 120))] * 2
PLENARIES = [(3, 10), (7, 7), (11, 6)]  # (month, day): three plenary meetings a year
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
MIN_REFUSALS = 46
# fmt: on


def _next_plenary(day):
    meetings = (datetime.date(y, m, d) for y in (day.year, day.year + 1) for m, d in PLENARIES)
    return next(meeting for meeting in meetings if meeting >= day)


def _span(start, end, language):
    """'28 February to 3 March 2023', or in French '1er au 3 mars 2023'."""
    months = MONTHS[language].split()
    first, last = ("1er" if d.day == 1 and language == "fr" else str(d.day) for d in (start, end))
    if start.year != end.year:
        first += f" {months[start.month - 1]} {start.year}"
    elif start.month != end.month:
        first += f" {months[start.month - 1]}"
    to = "to" if language == "en" else "au"
    return f"{first} {to} {last} {months[end.month - 1]} {end.year}"


class DemoSeeder:
    def __init__(self, rng, today):
        self.rng, self.today, self.counts = rng, today, {}
        self.language, self.facilities, self.places = {}, {}, {}
        # visit id: the visit whose report also covers it (one report on two visits).
        self.covered_with = {}
        self.other_types = itertools.cycle(list(PLACES)[2:])

    def days(self, low, high):
        return self.rng.randint(low, high) * DAY

    def save(self, record):
        """Validate as a form would, so that the demo data proves it obeys the model's rules."""
        record.full_clean()
        record.save()
        label = str(record._meta.verbose_name_plural)
        self.counts[label] = self.counts.get(label, 0) + 1
        return record

    def save_report(self, report):
        """A report is saved, then given its visits and versions; published only then, as
        staff would (publication needs the visits it covers)."""
        published = report.published_on, report.publication_ground, report.public_statement
        report.published_on, report.publication_ground, report.public_statement = None, "", None
        self.save(report)
        for visit in report.covered:  # one by one: the links' order is the visits' order
            report.visits.add(visit)
        for n, language in enumerate(report.version_languages):
            self.document(report, language, report.reference or report.title, authentic=n == 0)
        if published[0]:
            report.published_on, report.publication_ground, report.public_statement = published
            report.full_clean()
            report.save()

    def document(self, owner, language, label, authentic=True):
        field = "report" if isinstance(owner, Report) else "response"
        document = Document(**{field: owner}, language=language, authentic=authentic)
        content = ContentFile(
            demo_pdf(f"{label} ({language})", language), name=f"demo-{language}.pdf"
        )
        document.file = content
        return self.save(document)

    def run(self):
        states = [self.state(*row) for row in STATES]
        completed = [visit for state in states for visit in self.completed_visits(state)]
        visits = completed + self.upcoming_visits(states, completed)
        reports = self.reports(completed)
        responses = self.responses(reports)
        refusals = self.refusals(visits, reports, responses)
        statements = self.statements(states, refusals)
        for statement, linked in statements:
            self.save(statement)
            for refusal in linked:
                refusal.public_statement = statement
        self.annex(reports, statements)
        self.number_publications(reports, responses, statements)
        for report in reports:
            self.save_report(report)
        for report, response in responses:
            response.report = report  # saved now: this sets the id the response points to
            self.save(response)
            if response.published_on:
                self.document(response, self.language[report.state.code], response.reference)
        for refusal in refusals:
            self.save(refusal)
        self.recommendations(reports, responses)
        return self.counts

    def recommendations(self, reports, responses):
        """Each report's recommendations on the places its visits went to, a request for
        information, sometimes a comment or an immediate observation; a State's later report
        repeats some of the earlier one's. Each response assesses its report's (published or
        not: the public sees only the published ones), and a repeat says the earlier one was
        not implemented."""
        rng = self.rng
        themes = {theme.code: theme for theme in Theme.private_objects.all()}
        earlier = {}  # State code: the recommendations of its latest report so far
        for report in reports:
            # Stored by the database when its visits were added (refresh_visit_span).
            report.refresh_from_db(fields=["visits_start_on", "visits_end_on"])
        for report in sorted(reports, key=lambda r: (r.visits_start_on, r.pk)):
            french = self.language[report.state.code] == "fr"
            made, paragraph = [], rng.randint(8, 20)
            if rng.random() < 0.3:
                made.append(
                    self.recommendation(
                        report,
                        paragraph,
                        OBSERVATION,
                        french,
                        kind=RecommendationKind.IMMEDIATE_OBSERVATION,
                        immediate=True,
                    )
                )
                paragraph += rng.randint(1, 4)
            types = {
                place.facility.place_type
                for visit in report.covered
                for place in self.places[visit.pk]
            }
            for place_type in [t for t in RECOMMENDATIONS if t in types]:
                for code, english, french_text in RECOMMENDATIONS[place_type]:
                    if rng.random() < 0.35:
                        continue
                    repeated = next(
                        (r for r in earlier.get(report.state.code, []) if r.themes_code == code),
                        None,
                    )
                    item = self.recommendation(
                        report,
                        paragraph,
                        (english, french_text),
                        french,
                        theme=themes[code],
                        immediate=rng.random() < 0.15,
                        repeats=repeated if repeated and rng.random() < 0.7 else None,
                    )
                    made.append(item)
                    paragraph += rng.randint(2, 9)
            made.append(
                self.recommendation(
                    report,
                    paragraph,
                    REQUEST,
                    french,
                    kind=RecommendationKind.REQUEST_FOR_INFORMATION,
                )
            )
            if rng.random() < 0.4:
                made.append(
                    self.recommendation(
                        report, paragraph + 1, COMMENT, french, kind=RecommendationKind.COMMENT
                    )
                )
            for item in made:
                if item.repeats and item.repeats.report.transmitted_on <= report.transmitted_on:
                    self.save(
                        Assessment(
                            recommendation=item.repeats,
                            source=AssessmentSource.REPORT,
                            report=report,
                            assessed_on=report.transmitted_on,
                            status=AssessmentStatus.NOT_IMPLEMENTED,
                        )
                    )
            earlier[report.state.code] = [item for item in made if item.themes_code]
        statuses = [
            AssessmentStatus.IMPLEMENTED,
            AssessmentStatus.PARTIALLY_IMPLEMENTED,
            AssessmentStatus.IN_PROGRESS,
            AssessmentStatus.NOT_IMPLEMENTED,
            AssessmentStatus.NO_INFORMATION,
        ]
        for report, response in responses:
            assessed_on = min(response.received_on + self.days(5, 40), self.today)
            for item in Recommendation.private_objects.filter(report=report).order_by("pk"):
                self.save(
                    Assessment(
                        recommendation=item,
                        source=AssessmentSource.RESPONSE,
                        response=response,
                        assessed_on=assessed_on,
                        status=rng.choice(statuses),
                    )
                )

    def recommendation(
        self,
        report,
        paragraph,
        texts,
        french,
        kind="recommendation",
        theme=None,
        immediate=False,
        repeats=None,
    ):
        item = Recommendation(
            report=report,
            paragraph=str(paragraph),
            kind=kind,
            text=texts[1 if french else 0],
            immediate_action=immediate,
            repeats=repeats,
        )
        self.save(item)
        if theme is not None:
            item.themes.add(theme)
        item.themes_code = theme.code if theme else None
        return item

    def state(self, code, name, signed, ratified, language, automatic, centre, places):
        localities = [tuple(place.split("/")) for place in places.split(", ")]
        state = State(
            code=code,
            name=name,
            signed_on=D(signed),
            ratified_on=D(ratified),
            in_force_on=treaty.entry_into_force(D(ratified)),
            automatic_publication_since=automatic and D(automatic),
            is_demo=True,
        )
        if code == PENDING_DENUNCIATION:
            state.denunciation_notified_on = self.today - self.days(60, 300)
            state.coe_member_until = state.denunciation_notified_on - self.days(300, 900)
        elif code == FORMER_PARTY:
            state.denunciation_notified_on = self.today - self.days(3 * 365, 4 * 365)
            state.denunciation_effective_on = treaty.denunciation_effective(
                state.denunciation_notified_on
            )
        self.language[code] = language
        self.save(state)
        self.facilities[code] = self.facilities_of(state, centre, localities)
        return state

    def facilities_of(self, state, centre, localities):
        rng, facilities = self.rng, []
        spots = {
            locality: (centre[0] + rng.uniform(-1, 1), centre[1] + rng.uniform(-1.5, 1.5))
            for locality, _ in localities
        }
        extra = [next(self.other_types) for _ in range(rng.randint(3, 4))]
        for place_type in [PlaceType.POLICE, PlaceType.PRISON, *extra]:
            capacity, patterns = PLACES[place_type]
            locality, region = rng.choice(localities)
            name = rng.choice(patterns).format(locality)
            facility = Facility(state=state, name=name, place_type=place_type, locality=locality)
            facility.region = region
            # The fifth place of every fourth State has closed since.
            facility.active = len(facilities) != 4 or self.counts["States"] % 4 != 0
            if capacity and rng.random() < 0.8:
                facility.capacity = rng.randint(*capacity)
            if rng.random() < 0.7:
                latitude, longitude = spots[locality]
                facility.latitude = Decimal(f"{latitude + rng.uniform(-0.03, 0.03):.5f}")
                facility.longitude = Decimal(f"{longitude + rng.uniform(-0.03, 0.03):.5f}")
            facilities.append(self.save(facility))
        return facilities

    def completed_visits(self, state):
        horizon = self.today
        if state.denunciation_notified_on:
            horizon = state.denunciation_notified_on - 60 * DAY
        windows = WINDOWS if horizon == self.today and self.rng.random() < 0.5 else WINDOWS[:3]
        visits, earlier = [], None
        for low, high in windows:
            ad_hoc = earlier is not None and self.rng.random() < 0.35
            follows_up = earlier if ad_hoc and self.rng.random() < 0.7 else None
            start = horizon - self.days(low, high)
            earlier = self.visit(state, ad_hoc, VisitStatus.COMPLETED, start, follows_up)
            visits.append(earlier)
            if len(visits) == 1 and ord(state.code[-1]) % 3 == 1:
                # An ad hoc visit soon after the first one: one report covers both, as
                # CPT/Inf (2017) 25 covers two visits to Greece in 2016.
                soon = earlier.end_on + self.days(70, 110)
                second = self.visit(state, True, VisitStatus.COMPLETED, soon, earlier)
                self.covered_with[second.pk] = earlier
                visits.append(second)
        return visits

    def upcoming_visits(self, states, completed):
        parties = [state for state in states if not state.denunciation_notified_on]
        order = self.rng.sample(parties, len(parties))
        visits = []
        for n, (status, (low, high)) in enumerate(UPCOMING):
            state = order[n % len(order)]
            ad_hoc = n % 3 == 2
            start = self.today + self.days(low, high)
            earlier = [v for v in completed if v.state == state and v.start_on < start][-1:]
            follows_up = earlier[0] if earlier and ad_hoc and n % 2 else None
            visits.append(self.visit(state, ad_hoc, status, start, follows_up))
        return visits

    def visit(self, state, ad_hoc, status, start, follows_up):
        """A visit with its dates set as far as ``status`` goes, and the places it went to."""
        rng = self.rng
        length = rng.randint(3, 6) if ad_hoc else rng.randint(7, 12)
        notice = self.days(0, 2) if ad_hoc else self.days(7, 21)
        visit = Visit(
            state=state,
            visit_type=VisitType.AD_HOC if ad_hoc else VisitType.PERIODIC,
            follows_up=follows_up,
            announced=not ad_hoc,
            status=status,
            planned_start_on=start,
            planned_end_on=start + (length - 1) * DAY,
            delegation=self.delegation(),
            internal_notes=rng.choice(VISIT_NOTES),
        )
        if status not in (VisitStatus.PLANNED, VisitStatus.CANCELLED):
            visit.notified_on = min(start - notice, self.today)
        if status == VisitStatus.POSTPONED:
            visit.postponement_ground = rng.choice(PostponementGround.values)
        if status == VisitStatus.CANCELLED:
            visit.internal_notes += " Cancelled: the Bureau re-ordered the programme."
        places = []
        if status in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED):
            visit.start_on = start
            last = min(visit.planned_end_on, self.today)
            if status == VisitStatus.COMPLETED:
                visit.end_on = last
            count = rng.randint(2, 5) if visit.end_on else rng.randint(1, 2)
            open_places = [f for f in self.facilities[state.code] if f.active or visit.end_on]
            for facility in rng.sample(open_places, count):
                first = start + self.days(0, (last - start).days)
                places.append((facility, first, min(first + self.days(0, 1), last)))
            names = [f"{facility.name} ({facility.locality})" for facility, _, _ in places]
            visit.summary = "The delegation visited " + "; ".join(names) + "."
            if visit.end_on and rng.random() < 0.4:
                visit.immediate_observations = rng.choice(OBSERVATIONS).format(names[0])
        self.save(visit)
        self.places[visit.pk] = [self.visited_place(visit, *place) for place in places]
        return visit

    def visited_place(self, visit, facility, first, last):
        """Access is granted, except at every 12th place (delayed) and 25th (refused)."""
        place = VisitedPlace(visit=visit, facility=facility, first_day_on=first, last_day_on=last)
        number = self.counts.get(str(VisitedPlace._meta.verbose_name_plural), 0)
        if number % 25 == 12:
            place.access = Access.REFUSED
        elif number % 12 == 5:
            place.access = Access.DELAYED
        return self.save(place)

    def delegation(self):
        """Three to six people, one per line, the head of delegation first."""
        size = self.rng.randint(3, 6)
        firsts, lasts = self.rng.sample(FIRST_NAMES, size), self.rng.sample(SURNAMES, size)
        roles = ["Head of delegation, member of the Committee"]
        roles += [ROLES[n] for n in sorted(self.rng.sample(range(len(ROLES)), size - 1))]
        return "\n".join(f"{firsts[n]} {lasts[n]}, {role}" for n, role in enumerate(roles))

    def reports(self, completed):
        """A report on each completed visit (or two) whose report has been transmitted by
        today."""
        rng, reports = self.rng, []
        paired = set(self.covered_with.values())
        for visit in sorted(completed, key=lambda visit: (visit.end_on, visit.pk)):
            if visit in paired:
                continue  # reported on with the visit that followed it
            covered = (
                [self.covered_with[visit.pk], visit] if visit.pk in self.covered_with else [visit]
            )
            adopted = _next_plenary(visit.end_on + 40 * DAY)
            transmitted = adopted + self.days(10, 35)
            if transmitted > self.today:
                continue
            language = self.language[visit.state.code]
            span = _span(covered[0].start_on, visit.end_on, language)
            places = ", ".join(
                place.facility.name for one in covered for place in self.places[one.pk]
            )
            periodic = covered[0].visit_type == VisitType.PERIODIC
            if language == "en":
                kind = "periodic visit" if periodic else "ad hoc visit"
                title = f"Report to the Government of {visit.state.name} on the {kind} from {span}"
                summary = f"The report covers: {places}."
            else:
                kind = "visite périodique" if periodic else "visite ad hoc"
                title = f"Rapport au Gouvernement – {visit.state.name} – {kind} du {span}"
                summary = f"Le rapport porte sur : {places}."
            report = Report(state=visit.state, title=title, summary=summary)
            report.covered, report.version_languages = covered, [language]
            if rng.random() < 0.4:
                report.version_languages.append("fr" if language == "en" else "en")
            report.adopted_on, report.transmitted_on = adopted, transmitted
            # Three months after ad hoc visits, six after periodic ones.
            all_ad_hoc = all(one.visit_type == VisitType.AD_HOC for one in covered)
            report.response_due_on = treaty.add_months(transmitted, 3 if all_ad_hoc else 6)
            requested = transmitted + self.days(20, 500)
            if visit.state.has_automatic_publication_on(transmitted):
                report.published_on = transmitted + self.days(30, 120)
                report.publication_ground = PublicationGround.AUTOMATIC
            elif rng.random() < 0.55 and requested <= self.today:
                report.publication_requested_on = requested
                report.published_on = requested + self.days(14, 75)
                report.publication_ground = PublicationGround.STATE_REQUEST
            report.personal_data_checked = bool(report.published_on) or rng.random() < 0.3
            reports.append(report)
        # The latest publication is scheduled: public only from a day to come.
        latest = max((r for r in reports if r.published_on), key=lambda r: r.transmitted_on)
        latest.published_on = max(latest.published_on, self.today + self.days(7, 30))
        return reports

    def responses(self, reports):
        """Most governments answer; the State about to denounce stopped answering."""
        pending = [r for r in reports if r.state.code == PENDING_DENUNCIATION]
        withheld = [r for r in pending if r.response_due_on < self.today][-1:]
        responses = []
        for report in reports:
            received = report.transmitted_on + self.days(120, 240)
            if report in withheld or received > self.today or self.rng.random() < 0.15:
                continue
            response = Response(received_on=received)
            if report.published_on and self.rng.random() < 0.8:
                response.published_on = max(report.published_on, received)
            responses.append((report, response))
        return responses

    def refusals(self, visits, reports, responses):
        refusals = []
        for visit in visits:
            for place in self.places[visit.pk]:
                if place.access != Access.GRANTED:
                    kind = RefusalKind.ACCESS_REFUSED
                    if place.access == Access.DELAYED:
                        kind = RefusalKind.ACCESS_DELAYED
                    refusals.append(self.refusal(kind, visit, place.first_day_on, place.facility))
            if visit.postponement_ground:
                kind = RefusalKind.ARTICLE9_POSTPONEMENT
                ground = visit.postponement_ground.replace("_", " ")
                refusals.append(self.refusal(kind, visit, visit.notified_on, summary=ground))
        answered = [report for report, _ in responses]
        for report in reports:
            if report not in answered and report.response_due_on < self.today:
                overdue = report.response_due_on + DAY
                refusals.append(
                    self.refusal(RefusalKind.RESPONSE_OVERDUE, report.covered[-1], overdue)
                )
        completed = [visit for visit in visits if visit.status == VisitStatus.COMPLETED]
        missing = [kind for kind in FILL_KINDS if kind not in {r.kind for r in refusals}]
        while missing or len(refusals) < MIN_REFUSALS:
            kind = missing.pop(0) if missing else self.rng.choice(FILL_KINDS)
            visit = self.rng.choice(completed)
            facility = self.rng.choice(self.places[visit.pk]).facility
            when = REFUSALS[kind][0]
            if when == "during":
                day = visit.start_on + self.days(0, (visit.end_on - visit.start_on).days)
            elif when == "notified":
                day, facility = visit.notified_on, None
            else:
                since = min(400, (self.today - visit.end_on).days)
                day = visit.end_on + self.days(min(30, since), since)
            refusals.append(self.refusal(kind, visit, day, facility))
        return refusals

    def refusal(self, kind, visit, occurred_on, facility=None, summary=""):
        rng = self.rng
        refusal = CooperationRefusal(state=visit.state, visit=visit, facility=facility, kind=kind)
        refusal.occurred_on = occurred_on
        refusal.summary = REFUSALS[kind][1].format(summary or (facility and facility.name))
        refusal.internal_notes = rng.choice(REFUSAL_NOTES)
        disclosed, resolved = occurred_on + self.days(60, 540), occurred_on + self.days(1, 180)
        if rng.random() < 0.45 and disclosed <= self.today:
            refusal.disclosed_on = disclosed
        if kind != RefusalKind.RESPONSE_OVERDUE and rng.random() < 0.35 and resolved <= self.today:
            refusal.resolved_on = resolved
        return refusal

    def statements(self, states, refusals):
        """Article 10(2): on the State about to denounce, and on the least co-operative other."""
        unresolved = {state.code: [] for state in states}
        for refusal in refusals:
            if refusal.occurred_on <= self.today - 90 * DAY and not refusal.resolved_on:
                unresolved[refusal.state.code].append(refusal)
        pending = next(state for state in states if state.code == PENDING_DENUNCIATION)
        others = [state for state in states if state != pending]
        worst = max(others, key=lambda state: (len(unresolved[state.code]), state.code))
        statements = []
        for state in (pending, worst):
            linked = unresolved[state.code]
            if not linked:
                continue
            latest = max(refusal.occurred_on for refusal in linked)
            issued = min(latest + self.days(30, 80), self.today - DAY)
            statement = PublicStatement(state=state, issued_on=issued)
            statement.title = f"Demo: Public statement concerning {state.name}"
            statement.summary = (
                f"The Committee decided to make a public statement after {len(linked)} cases "
                "of failure to co-operate that the authorities did not remedy."
            )
            for refusal in linked:
                refusal.disclosed_on = min(refusal.disclosed_on or issued, issued)
            statements.append((statement, linked))
        return statements

    def annex(self, reports, statements):
        """Article 10(2): the latest statement's State had not asked for publication of a
        report; the statement publishes it as an annex, as the CPT did for Azerbaijan on 3
        July 2024."""
        statement = max((statement for statement, _ in statements), key=lambda s: s.issued_on)
        waiting = [
            report
            for report in reports
            if report.state == statement.state
            and not report.published_on
            and report.transmitted_on <= statement.issued_on
        ]
        if waiting:
            report = waiting[-1]
            report.published_on = statement.issued_on
            report.publication_ground = PublicationGround.PUBLIC_STATEMENT
            report.public_statement = statement
            report.personal_data_checked = True

    def number_publications(self, reports, responses, statements):
        """One series per year in order of publication, as the CPT/Inf series is numbered."""
        published = [(r.published_on, r) for r in reports if r.published_on]
        published += [(r.published_on, r) for _, r in responses if r.published_on]
        published += [(s.issued_on, s) for s, _ in statements]
        numbers = {}
        for day, document in sorted(published, key=lambda pair: pair[0]):
            numbers[day.year] = numbers.get(day.year, 0) + 1
            document.reference = f"DEMO/Inf ({day.year}) {numbers[day.year]}"


class Command(BaseCommand):
    help = "Add a fictional, deterministic demo data set (States XA-XN, names ending in (demo))."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")

    def handle(self, *args, seed, **options):
        present = State.private_objects.filter(is_demo=True).count()
        if present:
            self.stdout.write(f"The demo data is already there ({present} demo States).")
            return
        today = timezone.localdate()
        with transaction.atomic():
            counts = DemoSeeder(random.Random(seed), today).run()
        made = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(f"Created {made} (seed {seed}, today {today.isoformat()}).")
