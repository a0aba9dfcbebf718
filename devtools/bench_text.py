"""The text of the bench data's report pages (generate_bench_data): prose in the manner of the
CPT's reports, in English or in French, made from sentence patterns and word lists.

Each page holds about ``PAGE_CHARACTERS`` characters in numbered paragraphs, with the page
number at its foot. Most sentences are general ("filler"): the delegation, the places, the
persons held, the staff. Some are on one subject (``SUBJECTS``), and each subject's words are
found only in its own sentences, so that the share of pages holding them is set here: a rare
word such as "taser" on about 2 % of the pages, "restraint" on about 10 %, the phrase "access
to a lawyer" on about 15 %, "ill-treatment" on about 30 %. A report dwells on some subjects
(each subject on a share ``focus`` of the reports) and mentions the others now and then, so a
rare word is found on several pages of a few reports rather than on one page of many. A
report's versions are translations of each other: page n of each covers the same subjects.

Deterministic: everything is drawn from the ``random.Random`` the caller passes.
"""

import itertools
import random
from dataclasses import dataclass

PAGE_CHARACTERS = (1_700, 2_300)  # a page's length: drawn between the two


@dataclass(frozen=True)
class Subject:
    """Sentences on one subject, in both languages, and how often pages hold them: on about
    ``share`` of all pages, mostly in the ``focus`` of the reports that dwell on it."""

    name: str
    share: float
    focus: float
    english: tuple[str, ...]
    french: tuple[str, ...]

    @property
    def outside(self) -> float:
        """The chance that a page of a report that does not dwell on it mentions it."""
        return self.share / 5

    @property
    def inside(self) -> float:
        """The chance for a page of a report that dwells on it: so that the mean is share."""
        return (self.share - (1 - self.focus) * self.outside) / self.focus


SUBJECTS = [
    Subject(
        "taser",
        0.02,
        0.08,
        (
            "Several {people} alleged that police officers had used a taser on them while "
            "they were already handcuffed.",
            "The delegation was informed that {staff} had recently been issued with tasers, "
            "without any specific training in their use.",
            "The CPT has serious reservations about the use of tasers in a closed environment "
            "such as {place}.",
            "The register showed that tasers had been used {k} times in the previous year, in "
            "the contact mode on several occasions.",
        ),
        (
            "Plusieurs personnes ont allégué que des policiers avaient fait usage d'un "
            "pistolet à impulsion électrique de type Taser alors qu'elles étaient menottées.",
            "La délégation a été informée que des pistolets Taser avaient récemment été "
            "distribués au personnel, sans formation spécifique.",
            "Le CPT émet de sérieuses réserves quant à l'usage du Taser dans un milieu fermé "
            "tel que {place}.",
            "Le registre indiquait que le Taser avait été utilisé {k} fois au cours de l'année "
            "précédente, à plusieurs reprises en mode contact.",
        ),
    ),
    Subject(
        "restraint",
        0.10,
        0.25,
        (
            "Every resort to means of restraint should be recorded in a specific register, "
            "with the times at which the measure began and ended.",
            "{People} told the delegation that they had been kept under mechanical restraint "
            "for several days, without being released to use the toilet.",
            "A restraint bed was kept ready in a cell of the disciplinary unit.",
            "Means of restraint were applied in full view of other {people}, and the "
            "measure was not supervised by a member of staff.",
            "The CPT recommends that chemical restraint never be used as a substitute for "
            "adequate staffing.",
        ),
        (
            "Tout recours à la contention devrait être consigné dans un registre spécifique, "
            "avec l'heure du début et de la fin de la mesure.",
            "Des patients ont déclaré à la délégation avoir été placés sous contention "
            "mécanique pendant plusieurs jours, sans pouvoir se rendre aux toilettes.",
            "Un lit de contention était prêt à l'emploi dans une cellule du quartier "
            "disciplinaire.",
            "La contention était pratiquée à la vue des autres patients et la mesure n'était "
            "pas surveillée par un membre du personnel.",
            "Le CPT recommande que la contention chimique ne soit jamais utilisée pour "
            "pallier l'insuffisance des effectifs.",
        ),
    ),
    Subject(
        "lawyer",
        0.15,
        0.40,
        (
            "Many {people} said that they had not been granted access to a lawyer until "
            "their first court hearing.",
            "The right of access to a lawyer should apply from the very outset of deprivation "
            "of liberty, including during questioning.",
            "Police officers stated that access to a lawyer was granted only once the "
            "detained person had made a statement.",
            "In practice, access to a lawyer depended on the detained person's ability to "
            "pay, the system of legal aid being ineffective.",
        ),
        (
            "De nombreuses personnes ont affirmé ne pas avoir bénéficié de l'accès à un avocat "
            "avant leur première comparution devant le juge.",
            "Le droit d'accès à un avocat devrait s'appliquer dès le tout début de la "
            "privation de liberté, y compris pendant les interrogatoires.",
            "Selon les policiers, l'accès à un avocat n'était accordé qu'une fois la "
            "déposition de la personne recueillie.",
            "En pratique, l'accès à un avocat dépendait des moyens de la personne, le système "
            "d'aide juridictionnelle étant inopérant.",
        ),
    ),
    Subject(
        "ill-treatment",
        0.30,
        0.60,
        (
            "The delegation received a number of allegations of physical ill-treatment by "
            "{staff}, consisting of slaps, punches and kicks.",
            "Some of the allegations of ill-treatment were supported by medical evidence "
            "gathered by the delegation's doctors.",
            "The CPT recommends that a firm message be delivered to {staff} that ill-treatment "
            "is unlawful and will be punished accordingly.",
            "Most {people} interviewed said that they had been treated correctly; no "
            "allegation of ill-treatment was heard at {place}.",
        ),
        (
            "La délégation a recueilli plusieurs allégations de mauvais traitements physiques "
            "infligés par {staff}, sous forme de gifles, de coups de poing et de coups de "
            "pied.",
            "Certaines allégations de mauvais traitements étaient corroborées par les "
            "constatations des médecins de la délégation.",
            "Le CPT recommande de rappeler fermement aux agents que les mauvais traitements "
            "sont illégaux et seront sanctionnés en conséquence.",
            "La plupart des personnes rencontrées ont dit avoir été traitées correctement ; "
            "aucune allégation de mauvais traitements n'a été entendue dans {place}.",
        ),
    ),
    Subject(
        "overcrowding",
        0.12,
        0.30,
        (
            "Overcrowding remained a serious problem: cells designed for four held up to "
            "{k} {people}.",
            "The CPT calls upon the authorities to pursue their efforts to combat "
            "overcrowding, including through alternatives to imprisonment.",
            "As a result of overcrowding, several {people} had to share a bed or sleep on "
            "mattresses on the floor.",
        ),
        (
            "La surpopulation demeurait un grave problème : des cellules prévues pour quatre "
            "personnes en accueillaient jusqu'à {k}.",
            "Le CPT invite les autorités à poursuivre leurs efforts pour lutter contre la "
            "surpopulation, y compris par des mesures alternatives à l'incarcération.",
            "En raison de la surpopulation, plusieurs détenus devaient partager un lit ou "
            "dormir sur des matelas posés à même le sol.",
        ),
    ),
    Subject(
        "solitary confinement",
        0.08,
        0.20,
        (
            "Some {people} had spent several months in solitary confinement, with no more "
            "than one hour a day outside their cell.",
            "Solitary confinement as a disciplinary punishment should never exceed 14 days "
            "for a given offence.",
            "The cells used for solitary confinement were small, dark and poorly ventilated.",
        ),
        (
            "Certains détenus avaient passé plusieurs mois à l'isolement cellulaire, avec au "
            "plus une heure par jour hors de leur cellule.",
            "L'isolement cellulaire à titre de sanction disciplinaire ne devrait jamais "
            "dépasser 14 jours pour une même infraction.",
            "Les cellules utilisées pour l'isolement cellulaire étaient exiguës, sombres et "
            "mal aérées.",
        ),
    ),
    Subject(
        "doctor",
        0.25,
        0.50,
        (
            "Every newly arrived person should be seen by a doctor or a qualified nurse "
            "within 24 hours of admission.",
            "Medical examinations took place in the presence of {staff}, which is contrary to "
            "medical confidentiality.",
            "The doctor was present only twice a week, for {n} {people}.",
            "Injuries observed by the doctor on admission were not recorded, nor reported to "
            "the competent authorities.",
        ),
        (
            "Toute personne nouvellement arrivée devrait être examinée par un médecin ou un "
            "infirmier qualifié dans les 24 heures suivant son admission.",
            "Les examens médicaux se déroulaient en présence des surveillants, ce qui est "
            "contraire au secret médical.",
            "Le médecin n'était présent que deux fois par semaine, pour {n} personnes.",
            "Les lésions constatées par le médecin à l'admission n'étaient ni consignées, ni "
            "signalées aux autorités compétentes.",
        ),
    ),
    Subject(
        "seclusion",
        0.05,
        0.12,
        (
            "Patients were placed in seclusion for periods of up to {k} days, in a room "
            "without a call bell.",
            "Seclusion should never be used as a punishment, and every measure should be "
            "recorded in a central register.",
        ),
        (
            "Des patients étaient placés en chambre d'isolement pendant des périodes allant "
            "jusqu'à {k} jours, dans une pièce dépourvue de bouton d'appel.",
            "Le placement en chambre d'isolement ne devrait jamais être utilisé comme une "
            "punition et chaque mesure devrait être consignée dans un registre central.",
        ),
    ),
    Subject(
        "interpreter",
        0.03,
        0.10,
        (
            "Foreign nationals were not offered the services of an interpreter, and signed "
            "documents they could not read.",
            "Recourse to an interpreter should be made whenever a detained person does not "
            "understand the language of the proceedings.",
        ),
        (
            "Les ressortissants étrangers ne se voyaient pas proposer les services d'un "
            "interprète et signaient des documents qu'ils ne pouvaient pas lire.",
            "Il convient de faire appel à un interprète chaque fois qu'une personne détenue "
            "ne comprend pas la langue de la procédure.",
        ),
    ),
    Subject(
        "hunger strike",
        0.015,
        0.05,
        (
            "At the time of the visit, {k} {people} had been on hunger strike for several "
            "weeks, in protest against their conditions.",
            "Persons on hunger strike should be examined daily by a doctor and informed of "
            "the risks to their health.",
        ),
        (
            "Au moment de la visite, {k} détenus observaient une grève de la faim depuis "
            "plusieurs semaines pour protester contre leurs conditions.",
            "Les personnes en grève de la faim devraient être examinées quotidiennement par "
            "un soignant et informées des risques pour leur santé.",
        ),
    ),
    Subject(
        "tuberculosis",
        0.01,
        0.04,
        (
            "Screening for tuberculosis on admission was not systematic, and infected {people} "
            "shared cells with others.",
        ),
        (
            "Le dépistage de la tuberculose à l'admission n'était pas systématique et des "
            "détenus contagieux partageaient la cellule d'autres détenus.",
        ),
    ),
    Subject(
        "strip search",
        0.04,
        0.12,
        (
            "{People} were subjected to a strip search after every visit, in the presence of "
            "several officers.",
            "A strip search is a very invasive measure and should be carried out only on the "
            "basis of an individual risk assessment.",
        ),
        (
            "Les détenus faisaient l'objet d'une fouille à nu après chaque visite, en "
            "présence de plusieurs agents.",
            "La fouille à nu est une mesure très intrusive, qui ne devrait être pratiquée que "
            "sur la base d'une évaluation individuelle des risques.",
        ),
    ),
    Subject(
        "CCTV",
        0.05,
        0.15,
        (
            "The CCTV cameras did not cover the corridors where, according to {people}, they "
            "had been beaten.",
            "CCTV recordings were kept for only {k} days, too short a time for them to serve "
            "in the investigation of a complaint.",
        ),
        (
            "Les caméras de vidéosurveillance ne couvraient pas les couloirs où, selon les "
            "détenus, des coups avaient été portés.",
            "Les enregistrements de vidéosurveillance n'étaient conservés que {k} jours, un "
            "délai trop court pour l'examen d'une plainte.",
        ),
    ),
    Subject(
        "self-harm",
        0.06,
        0.20,
        (
            "There was no suicide prevention policy, and {staff} had not been trained to "
            "recognise the risk of self-harm.",
            "Several {people} bore the scars of repeated self-harm, which had not been "
            "recorded by the health care staff.",
        ),
        (
            "Il n'existait aucune politique de prévention du suicide et le personnel n'avait "
            "pas été formé à repérer les risques d'automutilation.",
            "Plusieurs détenus portaient les cicatrices d'automutilations répétées, que le "
            "personnel soignant n'avait pas consignées.",
        ),
    ),
    Subject(
        "inter-prisoner violence",
        0.07,
        0.20,
        (
            "Inter-prisoner violence was widespread, and vulnerable {people} were beaten by "
            "their cellmates while staff looked away.",
            "A strategy to tackle inter-prisoner violence and intimidation should be drawn up "
            "without delay.",
        ),
        (
            "La violence entre détenus était répandue et des détenus vulnérables étaient "
            "frappés par leurs codétenus sans que le personnel n'intervienne.",
            "Une stratégie de lutte contre la violence et l'intimidation entre détenus "
            "devrait être élaborée sans délai.",
        ),
    ),
]

# General sentences: no subject's words in them. The more often a pattern is drawn, the
# more common its words: the first ones are drawn three times as often as the last.
FILLER = {
    "en": [
        "The delegation visited {place}, where it met {staff} and interviewed {people} in private.",
        "At the time of the visit, {place} was accommodating {n} {people}, for an official "
        "capacity of {m}.",
        "The material conditions in the cells were generally acceptable: they were of a "
        "reasonable size, adequately lit and ventilated.",
        "{People} complained about the poor quality and the insufficient quantity of the food.",
        "The CPT recommends that {authority} take the necessary steps to ensure that {people} "
        "are offered a range of purposeful activities.",
        "The registers kept at {place} were generally well maintained, although some entries "
        "were incomplete.",
        "Outdoor exercise took place in small, bare yards, without any shelter against "
        "inclement weather.",
        "The sanitary facilities were dilapidated and in a poor state of hygiene.",
        "The Committee would like to receive the comments of {authority} on this matter.",
        "Many {people} spent up to 23 hours a day locked in their cells with nothing to occupy "
        "them.",
        "{Staff} stated that they had received no specific training for working with {people}.",
        "Contact with the outside world was limited to one short visit a month, behind a "
        "glass partition.",
        "Complaints could be lodged with the director, but {people} said that they feared "
        "reprisals.",
        "The CPT acknowledges the efforts made by {authority} to renovate {place}.",
        "The delegation's access to {place} was rapid, and it was able to speak in private "
        "with all the persons it wished to meet.",
        "Only {k} members of staff were on duty at night, for {n} {people}.",
        "Visits took place under satisfactory conditions, in a room equipped with tables and "
        "chairs.",
        "{People} could make a telephone call once a week for ten minutes.",
        "The cells of {place} had no access to natural light and the artificial lighting was poor.",
        "The Committee reiterates its recommendation that the conditions of detention at "
        "{place} be improved without delay.",
        "The delegation also held consultations with {authority} and with representatives of "
        "civil society.",
        "Disciplinary sanctions were imposed without {people} being heard in person or able "
        "to appeal.",
        "The heating did not work in several cells, where the temperature was very low at the "
        "time of the visit.",
        "The CPT would like to be informed of the measures taken by {authority} to address "
        "these shortcomings.",
        "In the course of the visit, the delegation examined the records of {place} and "
        "spoke with {staff}.",
        "The detention areas were clean and in a good state of repair.",
        "Information leaflets on the house rules were available in several languages.",
        "The transfer of {people} to {place} took place in vans without windows or ventilation.",
    ],
    "fr": [
        "La délégation a visité {place}, où elle a rencontré {staff} et s'est entretenue en "
        "privé avec des personnes détenues.",
        "Au moment de la visite, {place} hébergeait {n} personnes, pour une capacité "
        "officielle de {m} places.",
        "Les conditions matérielles dans les cellules étaient globalement acceptables : "
        "celles-ci étaient de taille raisonnable, correctement éclairées et aérées.",
        "{People} se plaignaient de la mauvaise qualité et de l'insuffisance de la nourriture.",
        "Le CPT recommande de prendre les mesures nécessaires afin que {people} se voient "
        "proposer un éventail d'activités constructives.",
        "Les registres tenus dans {place} étaient en général bien tenus, même si certaines "
        "mentions étaient incomplètes.",
        "La promenade avait lieu dans de petites cours nues, sans abri contre les intempéries.",
        "Les installations sanitaires étaient vétustes et dans un mauvais état d'hygiène.",
        "Le Comité souhaite que {authority} lui fasse part de ses commentaires sur ce point.",
        "{People} passaient jusqu'à 23 heures par jour enfermés dans leur cellule, sans "
        "aucune occupation.",
        "Selon {staff}, aucune formation spécifique n'avait été dispensée pour le travail "
        "auprès des personnes privées de liberté.",
        "Les contacts avec le monde extérieur se limitaient à une courte visite par mois, "
        "derrière une vitre de séparation.",
        "Les plaintes pouvaient être adressées au directeur, mais {people} disaient craindre "
        "des représailles.",
        "Le CPT salue les efforts entrepris par {authority} pour rénover {place}.",
        "La délégation a été admise sans délai dans {place} et a pu s'entretenir en privé "
        "avec toutes les personnes qu'elle souhaitait rencontrer.",
        "Seuls {k} membres du personnel étaient de service la nuit, pour {n} personnes.",
        "Les visites se déroulaient dans des conditions satisfaisantes, dans une salle "
        "équipée de tables et de chaises.",
        "{People} pouvaient téléphoner une fois par semaine pendant dix minutes.",
        "Les cellules ne bénéficiaient d'aucun accès à la lumière naturelle et l'éclairage "
        "artificiel était médiocre.",
        "Le Comité réitère sa recommandation tendant à améliorer sans délai les conditions de "
        "détention dans {place}.",
        "La délégation s'est également entretenue avec {authority} et avec des représentants "
        "de la société civile.",
        "Des sanctions disciplinaires étaient infligées sans que les intéressés soient "
        "entendus ni puissent former un recours.",
        "Le chauffage ne fonctionnait pas dans plusieurs cellules, où la température était "
        "très basse au moment de la visite.",
        "Le CPT souhaite être informé des mesures prises par {authority} pour remédier à ces "
        "insuffisances.",
        "Au cours de la visite, la délégation a examiné les registres et s'est entretenue "
        "avec {staff}.",
        "Les zones de détention étaient propres et en bon état d'entretien.",
        "Des brochures d'information sur le règlement intérieur étaient disponibles en "
        "plusieurs langues.",
        "Le transfert des personnes détenues avait lieu dans des fourgons sans fenêtre ni "
        "aération.",
    ],
}
FILLER_WEIGHTS = {
    language: [3 - 2 * i / (len(sentences) - 1) for i in range(len(sentences))]
    for language, sentences in FILLER.items()
}
WORDS = {
    "en": {
        "place": [
            "the police station",
            "the prison",
            "the remand prison",
            "the psychiatric hospital",
            "the social care home",
            "the immigration detention centre",
            "the juvenile detention centre",
            "the holding facility at the court",
            "the women's prison",
            "the high-security unit",
            "the admission unit",
            "the military detention unit",
        ],
        "people": [
            "detainees",
            "prisoners",
            "patients",
            "residents",
            "remand prisoners",
            "foreign nationals",
            "persons in police custody",
            "sentenced prisoners",
            "juveniles",
            "women prisoners",
            "inmates",
        ],
        "staff": [
            "custodial staff",
            "police officers",
            "prison officers",
            "nursing staff",
            "the director",
            "the management",
            "the duty officer",
            "social workers",
            "the guards",
        ],
        "authority": [
            "the Ministry of Justice",
            "the Ministry of the Interior",
            "the Ministry of Health",
            "the Prosecutor General's Office",
            "the national preventive mechanism",
            "the authorities",
        ],
    },
    "fr": {
        "place": [
            "le commissariat de police",
            "la prison",
            "la maison d'arrêt",
            "l'hôpital psychiatrique",
            "le foyer social",
            "le centre de rétention administrative",
            "le centre éducatif fermé",
            "le dépôt du tribunal",
            "la prison pour femmes",
            "le quartier de haute sécurité",
            "le quartier des arrivants",
            "l'établissement",
        ],
        "people": [
            "les détenus",
            "les prévenus",
            "les patients",
            "les résidents",
            "les ressortissants étrangers",
            "les mineurs",
            "les condamnés",
        ],
        "staff": [
            "le personnel pénitentiaire",
            "les policiers",
            "les surveillants",
            "le personnel infirmier",
            "la direction",
            "l'officier de permanence",
            "les travailleurs sociaux",
        ],
        "authority": [
            "le ministère de la Justice",
            "le ministère de l'Intérieur",
            "le ministère de la Santé",
            "le parquet général",
            "le mécanisme national de prévention",
            "les autorités",
        ],
    },
}
FOOTER = "Page {number}"


class _Slots(dict):
    """What a pattern's ``{name}`` stands for, drawn each time it is asked: a word of the
    language's list, capitalised for ``{Name}``, or a number."""

    def __init__(self, rng: random.Random, words: dict[str, list[str]]) -> None:
        super().__init__()
        self.rng, self.words = rng, words

    def __missing__(self, key: str) -> str:
        if key == "n":
            return str(self.rng.randint(40, 900))
        if key == "m":
            return str(self.rng.randint(30, 700))
        if key == "k":
            return str(self.rng.randint(3, 12))
        word = self.rng.choice(self.words[key.lower()])
        return word[:1].upper() + word[1:] if key[:1].isupper() else word


def report_plan(rng: random.Random, pages: int) -> list[list[int]]:
    """The subjects (indices in SUBJECTS) of each of ``pages`` pages of a report: first the
    subjects the report dwells on, then each page's draw."""
    chances = [
        subject.inside if rng.random() < subject.focus else subject.outside for subject in SUBJECTS
    ]
    return [[i for i, chance in enumerate(chances) if rng.random() < chance] for _ in range(pages)]


class PageWriter:
    """Pages of one language, from ``rng``: ``page(subjects, number, heading)`` is a page's
    text; paragraphs are numbered on from one page to the next of the same document (call
    ``start()`` before each document's first page)."""

    def __init__(self, rng: random.Random, language: str) -> None:
        language = "fr" if language == "fr" else "en"  # English for the other languages
        self.rng, self.slots = rng, _Slots(rng, WORDS[language])
        self.filler = FILLER[language]
        self.cumulative = list(itertools.accumulate(FILLER_WEIGHTS[language]))
        self.subjects = [
            subject.french if language == "fr" else subject.english for subject in SUBJECTS
        ]
        self.paragraph = 1

    def start(self) -> None:
        self.paragraph = 1

    def page(self, subjects: list[int], number: int, heading: str = "") -> str:
        """Page ``number``: ``heading`` (on a first page), paragraphs holding a sentence on
        each of ``subjects`` (indices in SUBJECTS), its number."""
        rng, slots = self.rng, self.slots
        target = rng.randint(*PAGE_CHARACTERS) - len(heading)
        special = []
        for i in subjects:
            sentences = self.subjects[i]
            special.append(rng.choice(sentences))
            if len(sentences) > 1 and rng.random() < 0.3:
                special.append(rng.choice(sentences))
        patterns = rng.choices(self.filler, cum_weights=self.cumulative, k=30)
        # The subjects' sentences among the general ones, in the first half; the page ends
        # once it is long enough and holds all of them.
        for sentence in special:
            patterns.insert(rng.randrange(len(patterns) // 2), sentence)
        pending, special_set = len(special), set(special)
        paragraphs, paragraph, length = [], [], 0
        size = rng.randint(2, 5)
        for pattern in patterns:
            paragraph.append(pattern.format_map(slots))
            length += len(paragraph[-1]) + 1
            pending -= pattern in special_set
            done = length >= target and not pending
            if len(paragraph) == size or done:
                paragraphs.append(f"{self.paragraph}. " + " ".join(paragraph))
                self.paragraph += 1
                paragraph, size = [], rng.randint(2, 5)
                if done:
                    break
        if paragraph:
            paragraphs.append(f"{self.paragraph}. " + " ".join(paragraph))
            self.paragraph += 1
        lines = [heading] if heading else []
        lines += paragraphs
        lines.append(FOOTER.format(number=number))
        return "\n".join(lines)
