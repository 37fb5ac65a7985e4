"""Free text to a topic id, offline, from weighted terms the IG team keeps in ``topics.yaml``.

Each topic lists words and phrases with weights. A message scores, per topic, the sum of the
weights of the terms it contains, after spelling correction and light stemming, so "polce
want recrods" still reads as the police asking for records. The best-scoring topic wins; a
message that scores too little, or scores highest for ``unknown`` (leave, parking, payslips),
is outside the assistant's job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.schema import Topic
from bot.text import Speller, normalise, stem, tokens

HELP = "help"  # not a topic: the message only greets or asks what the assistant does
MIN_SCORE = 1.5  # below this nothing in the message is about information sharing
CONFIDENT = 4.0  # a score this high is as sure as the lexicon can be

# Everyday English that must never be "corrected" into a domain word: "polite" is not "police",
# "case" is not a "cafe", "colleague" is not a "college", "contact" is not a "contract".
_COMMON = """
a able about above abroad absent absolutely abuse accept access accessed accident accommodation
according account accused achieve across act active actively activity actual actually add added
address addressed adequate admin administrator admit adopt adoption adult adults advance advice
advise affect afford afraid after afternoon afterwards again against age aged agenda agent ago
agree agreed ahead aint alarm alert alive all allegation allegations alleged allergy allocated
allocation allow allowed almost alone along already alright also although always am among amount an
and angle angry animal ankle annoyed anonymous another answer anxiety anxious any anybody anyone
anything anyway anywhere apart apartment apologise apology app apparently appear apple apply
appointment approach approve approved april are area areas arent arm army around arrange arranged
arrival arrive art article as aside ask asked asking asleep assess assessed assessing assist
assistant asylum at attach attached attachment attack attempt attend attendance attended attention
attitude audience august aunt author authorise authority auto autumn available average avoid
awaiting aware away awful baby back background bad bag bail bake balance ball band bank bar barely
base based basically basis bath battery be beach bear beat beautiful because become bed bedroom
bedsit been beer before began begin beginning behalf behaviour behind being believe bell belong
below belt bench benefit benefits bereavement best bet better between big bike bill bird birth
birthday bit bite black blame blank blind block blood blow blue board boat body boil bond bone
bonus book boot border boring born borrow boss both bother bottle bottom bought bowl box boy boys
brain branch brave bread break breakfast breakup breath brent bridge brief briefly bright bring
broad broke bromley brother brothers brought brown brush budget bug build building bullied bullying
burst bury bus busy but butter button buy by cabinet cable cafe cake calendar call called calls
calm camden came camera camp can cancel cancelled candidate cannot cant cap capital captain capture
card care cared career careful carer carers carpet carried carry carrying case caseload cases
casework caseworker cash cat catch caught cause ceiling cell centre century certain chain chair
champion chance change changed channel chaotic chapter charge charity chase chased chat cheap check
checked cheek cheese chest chicken child children chip chocolate choice choose chose christmas
chronic church cinema circle citizen city civil claim class clean clear clearly client clients
climb clinic clock close closed closure clothes cloud club coach coast coat code coffee coin cold
collar colleague colleagues collect college colour come comfort coming command comment comments
commit committee common communicate community company compare complain complaint complaints
complete completely compliant computer concern concerned concerns condition conduct conference
confidential confirm confirmed confused connect connection consider constant consult contact
contacted contacting contacts contain content context continue contract control conversation cook
cool cope copies copy corner correct correctly corridor cost cough could couldnt council count
counter country county couple courage course court cousin cover covered covering cow crack craft
crash crazy cream create credit crew crime criminal crisis cross crowd crown croydon cry culture
cup cupboard curfew curious current currently curtain custody customer cut cycle daily dance dark
date daughter day daycare days dead deadline deaf deal dealing dear death debate debt december
decent decide decided decision deep definitely degree delay delete delighted deliver delivered
demand denied dentist deny department deposit deputy describe design desk desktop desperate destroy
detail details develop development device diary did didnt die diet difference different difficult
dig dinner direct directly dirty disability disabled discharge discharged disclose disclosed
discount discuss discussed discussion disease display dispute distance do doctor document documents
does doesnt dog doing dollar done dont door double doubt down downstairs draft draw drawer dream
dress dressed drink drive drop dropped drugs drunk dry due during dust duty each eager ealing ear
earlier early earn easily east easy eat edge education effect effort egg eight either elderly
election electric element elevator eleven eligible else elsewhere email emailed emails embarrassed
emergency emotional employ employee employer empty encourage end ended ending enemy energy engage
engine england enjoy enough enquire enquiring enquiry ensure enter entire entrance envelope
environment equal equipment error escalate escape especially estate euro even evening event events
eventually ever every everybody everyone everything evidence exact exactly exam example excellent
except excluded exclusion exist exit expand expect expected expensive experience expert expire
expired explain explore extend extent extra extract eye fabric face fact factory fail failed fair
fairly fall false family fan far farm fashion fast fat father fault favour favourite fear feature
february fee feedback feel feeling feet fellow felt fence festival fever few field fight figure
file fill filled final finally finance find finding fine finger finish fire first fish fit five fix
flag flash flat flight flood floor flow flower fly focus fold folder folk follow followed following
food foot football for force foreign forest forget forgot forgotten fork form formal former forms
fortnight forward forwarded forwarding foster fostering found four frame free fresh friday fridge
friend friends from front fruit fuel full fully fun fund funding funeral funny furniture further
future game gap garden gas gate gather gave gear gender general generally gentle get gets getting
gift girl girlfriend girls give given gives giving glad glass glasses glove glue go goal god goes
going gold gone good goods got government grab grade grand grant grass grateful great green grey
ground group grow growing guard guardian guess guest guidance guide guilty gun guy guys habit
hackney had hadnt hair half hall hammer hand handbag handle handover handy hang happen happened
happening happens happy hard hardly harm has hasnt hat hate have havent having he head headset
health hear heard hearing heart heat heating heavy hed height held hello help helpful her here
heres hero hers herself hes hi hide high hill him himself hire his history hit hobby hold hole
holiday home homework honest honestly honey hook hope horse hospital host hostel hot hotel hounslow
hour hours house household housemate how however hows huge human hundred hungry hurry husband ice
icon id idea ideal identify if ignore ill illness im image imagine impact important improve in
inbox inch incident include including income increase indeed index individual info inform
information informed initial injury ink inside inspection instance instead insurance interest
interested internet intervention into invite invited invoice involve involved involvement iron is
island islington isnt issue issues it item itll its itself ive jacket jam january jar jeans
jewellery job join joke journey judge juice july jump jumper june junior just keen keep kent kept
key keyboard kick kid kids kill kind kingston kinship kitchen knee knew knife knock know knowledge
known label lady lambeth lamp land landlady landlord lane language laptop large largely last late
later latest laugh law lawn layer lazy lead leader leaflet learn learning least leave leaving led
left leg legacy legal lemon length lens less lesson let lets letter letters level lewisham lie life
lift light like likely limb limit line link lip liquid list listen litter little live lived lives
living load loan local lock locker lodger log logged logo london lonely long look looked looking
lord lorry lose loss lost lot lots loud love lovely low lower luck lucky luggage lunch machine mad
made magazine mail main major make makes making man manage managed management manager manner many
map march mark market marriage married mass master match material maths matter may maybe me meal
mean means meant meantime measure meat medical medicine medium meet meeting member members memory
mental mention mentor mentoring menu merton mess message met metal method mid middle midnight might
mightnt mile military milk million mind mine minor minute minutes mirror miss mistake mister
mitcham mix mobile mode model modern moment monday money monitor month months mood moon morden more
morning most mostly mother motor mouse mouth move moved movie mrs much mud mum music must mustnt my
myself nail name named names nap narrow national natural nature near nearby nearly neat necessarily
neck need needed neednt needs negative neglect neglected neither nephew nervous net network never
new news next nice niece night nine no nobody noise nominated none noon nor normal normally north
nose not note notes nothing notice novel november now number nurse nursery nut object obvious
obviously occasion ocean october odd of off offer office officer official often oh oil ok okay old
older on once one online only onto onward open opinion opportunity option or order ordinary
organisation original other others otherwise ought our ours ourselves out outcome outside oven over
overnight owe own owner pack page paid pain paint pair palace pan panel pants paper papers
paperwork parcel pardon parent parenting parents parish park parole part particular particularly
partly partner pass passed passport password past path patience patient pattern pause pay pea peace
peak pear pen pencil penny people pepper per perfect perform perhaps period permanent permission
person personal personally pet petrol phone phrase piano pick picture pie piece pig pile pill
pillow pilot pin pink pipe pitch pizza place placement placements plain plan planet planned
planning plans plant plastic plate platform play player please pleased plenty plug pocket poem
point pole policies policy polite pool poor pop popular position positive possible possibly post
potential pound powder power practice practitioner practitioners pray prefer pregnant prepare
present press pressure pretty previous previously price print prior private prize probably problem
problems proceed process produce profile programme progress project promise promote proof proper
properly protect proud prove provide provided pub public pull pump punch pupil puppy purple purpose
purse push put puzzle quality quarter queen queries query question questions queue quick quickly
quiet quite quiz rabbit race radio rail rain raise rang range rare rat rate rather raw razor reach
react read reader ready real realise realised really reason reasonable reasons receipt receive
received recent recently reception recipe recognise recommend recovery red reduce refer reference
referral referrals referred refuge refused regard region register registered relate related
relationship release relevant reluctant rely remain remember remind reminder reminders remote
remove rent repair repeat replace reply report represent request requested require required rescue
research reserve resolve respite respond response responsible rest restaurant restrict result
retire return review reward rice rich richmond ride right ring rise risk river road robot rock role
roll roof room rope rose rough round route row rubbish rug ruin rule run rush sack sad safe
safeguard safeguarding said sail salad sale salt same sample sand sandwich saturday sauce save saw
say saying says scale scan scarf scene schedule scheme school scissors score scream screen sea seal
search season seat second secret secretary section secure see seed seek seem seems seen select self
sell semi send sending senior sense sent separate september series serious serve service session
set seven several shade shake shall shame shape share shared sharp she shed sheet shelf shell
shelter shes shift shine ship shirt shock shoe shop short shot should shoulder shouldnt shout show
shower shut shy siblings sick side sight sign signature signed silk silly silver similar simple
simply since sing single sink sir sister sit site situation size skill skin skirt sky sleep sleeve
slice slide slightly slip slow small smell smile smoke snack snow so soap social society sock sofa
soft soldier solicitor solve some someone something sometimes son song soon sorry sort sound soup
south southwark space spare speak speaker special specific speech speed spell spend spent spider
spin spoon sport spot spread spring square stable staff stage stairs stamp stand standard stapler
star start started starting state statement stationery status stay steal steel step steps stick
still stock stomach stone stop store storm story straight strange strategy stream street stress
string stripe strong stuck student study stuff stupid style subject success successful such sudden
suffer sugar suggest suit sum summary summer sun sunday sunny supervised supervision supervisor
supper supply support supported suppose supposed sure surely surface surgery surname surprise
surrey sutton swap sweater sweet swim switch sword system table tablet tag tail take taken takes
taking talk talked talking tall tank tap tape target task taste tax taxi tea teach teacher teaching
team teams tear teen teenager teenagers telephone television tell template temporary tenancy tenant
tend tennis tent term terms terrible test text than thank thanks that thatll thats the their theirs
them themselves then there therefore theres these they theyd theyre theyve thick thief thin thing
things think third this those though thought thousand threat three threshold through throw thumb
thursday ticket tidy tie tiger till time times tiny tired title to toast today toe together toilet
toilets told tomato tomorrow tone tongue too took tool tooth top topic torch total touch tough tour
toward towards towel tower town toy trace track trade traffic train transition transport travel
tray treat treatment tree trial trick tried trip trouble trouser trousers truancy truck true trust
truth try trying tube tuesday tune tunnel turn turned twice two type typical tyre ugly umbrella
unaccompanied uncle under understand uniform union unit university unless until unusual up update
upon upset upstairs urgent us use used useful user users uses using usual usually value van various
vegetable version very vest victim video view village visa visit visited visiting visitor voice
vomit vote vulnerable wage waist wait waiter wake walk wall wallet wandsworth want wanted wants war
wardrobe warehouse warm warn was wash wasnt waste watch water wave way we weak wealth wear web
website wed wedding wednesday week weekend weekly weeks weight weird welcome welfare well wellbeing
went were werent west westminster wet weve what whatll whats wheel when whens where whereabouts
wheres whether which while whisper white who whole whom whos whose why whys wide wife wild will
wimbledon win wind window wine wing winter wire wise wish with within without witness wolf woman
women wonder wont wood wool word words work worked worker workers working works world worm worried
worry would wouldnt wrap wrist write writing wrong wrote yard yeah year years yellow yes yesterday
yet yoghurt you youd youll young younger your youre yours yourself youth youve zero zone
""".split()


@dataclass(frozen=True)
class Route:
    topic: str  # a topic id, or HELP
    confidence: float  # 0..1
    scores: dict[str, float]


class Router:
    def __init__(
        self, topics: Iterable[Topic], greetings: Iterable[str], vocabulary: Iterable[str]
    ):
        self._terms: dict[str, list[tuple[tuple[str, ...], str, float]]] = defaultdict(list)
        words = set(_COMMON)
        for topic in topics:
            for phrase, weight in topic.terms.items():
                raw = normalise(phrase).split()
                words.update(raw)
                stems = tuple(stem(w) for w in raw)
                self._terms[stems[0]].append((stems, topic.id, weight))
        self._greeting_words = {w for g in greetings for w in normalise(g).split()}
        self._greeting_words.update({"there", "all", "team", "bot", "infoshare", "again"})
        words.update(w for v in vocabulary for w in normalise(v).split())
        self._speller = Speller(words)

    def route(self, text: str) -> Route:
        words = tokens(text)
        if not words or all(w in self._greeting_words for w in words):
            return Route(HELP, 1.0, {})
        scores = self.scores(words)
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < MIN_SCORE:
            return Route("unknown", 0.0, scores)
        (top, best), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        confidence = min(1.0, best / CONFIDENT) * best / (best + runner_up)
        return Route(top, round(confidence, 3), scores)

    def scores(self, words: list[str]) -> dict[str, float]:
        """Per topic: its strongest matching term, plus half the weight of the others.

        Halving the rest keeps one decisive word ("ISA") from being outvoted by several weak
        ones that merely describe the people involved ("school", "nursing", "service").
        """
        scores: dict[str, float] = {}
        for topic, weights in self.matches(words).items():
            ordered = sorted(weights.values(), reverse=True)
            scores[topic] = ordered[0] + sum(ordered[1:]) / 2
        return scores

    def matches(self, words: list[str]) -> dict[str, dict[str, float]]:
        """Per topic, the terms found in ``words`` and their weights: why a message routed."""
        stems = [stem(self._speller.correct(w)) for w in words]
        found: dict[str, dict[str, float]] = defaultdict(dict)
        for i, first in enumerate(stems):
            for term, topic, weight in self._terms.get(first, ()):
                if tuple(stems[i : i + len(term)]) == term:
                    found[topic][" ".join(term)] = weight
        return dict(found)
