# Italian sentiment lexicon for xo-score (xo-lexicon(5)).
# Hand-made for xo from general knowledge of the language, aimed at
# customer-service text (surveys, chats, calls, reviews). No outside
# lexicon was copied. Valences on VADER's scale (-4..+4); "WORD*" is a
# stem matching every word that starts with it (gender, number, tense).
# Licence: as xo itself. Small: expect lower accuracy than English.
@lang	it
@elision	yes
@negator	non mai nessuno nessuna nessun niente nulla né senza neanche nemmeno neppure poco
@contrast	ma però tuttavia eppure invece
@booster	molto	0.293
@booster	troppo	0.293
@booster	davvero	0.293
@booster	veramente	0.293
@booster	proprio	0.293
@booster	assolutamente	0.293
@booster	estremamente	0.293
@booster	super	0.293
@booster	tanto	0.293
@booster	tantissimo	0.293
@booster	completamente	0.293
@booster	totalmente	0.293
@booster	decisamente	0.293
@booster	particolarmente	0.293
@booster	incredibilmente	0.293
@booster	così	0.293
@booster	parecchio	0.293
@booster	sempre	0.293
@booster	enormemente	0.293
@booster	abbastanza	-0.293
@booster	piuttosto	-0.293
@booster	leggermente	-0.293
@booster	quasi	-0.293
@booster	relativamente	-0.293
@booster	discretamente	-0.293
@stopword	l' dell' all' nell' sull' dall' un' quell' il lo la i gli le un una uno di da in con su per tra fra che è e non mi ho ha sono del della dei delle al alla nel nella questo questa ma anche come perché ci si era stato sempre ancora dopo niente
# Positive
ottim*	3.1
eccellent*	3.2
perfett*	3.0
fantastic*	3.2
meraviglios*	3.2
stupend*	3.1
splendid*	3.0
eccezional*	3.1
magnific*	3.1
straordinari*	3.0
favolos*	3.1
top	2.0
buon*	1.9
bene	1.8
benissimo	2.8
bell*	2.0
bravi	2.2
bravo	2.2
brava	2.2
brave	2.2
bravissim*	2.9
gentil*	2.1
gentilissim*	2.9
cortes*	2.0
disponibil*	1.6
professional*	1.9
competent*	1.9
preparat*	1.5
efficient*	2.0
efficac*	1.8
veloc*	1.6
velocissim*	2.3
rapid*	1.6
puntual*	1.8
tempestiv*	1.8
precis*	1.4
chiar*	1.2
semplic*	1.3
facil*	1.5
comod*	1.5
pratic*	1.2
utile	1.6
utili	1.6
convenient*	1.6
economic*	1.0
soddisfatt*	2.2
soddisfacent*	1.9
content*	2.0
felic*	2.6
entusiast*	2.8
grazie	1.5
ringrazi*	1.7
consigli*	1.4
raccomand*	1.6
affidabil*	1.9
sicur*	1.2
qualità	1.0
risolt*	1.8
risolv*	1.5
aiutat*	1.4
aiuto	0.8
cordial*	1.9
simpatic*	2.0
attent*	1.5
premuros*	2.1
pazient*	1.5
accoglient*	1.9
pulit*	1.4
ordinat*	1.0
funziona	1.3
funzionano	1.3
funzionant*	1.3
impeccabil*	3.0
superb*	3.0
adoro	3.0
amo	2.6
piace	1.8
piaciut*	1.9
piacevol*	2.0
gradevol*	1.8
apprezz*	2.0
complimenti	2.6
migliore	2.2
migliori	2.2
miglior	2.2
migliorat*	1.5
conveniente	1.6
ok	0.9
okay	0.9
positiv*	1.8
vantaggios*	1.8
chiarezza	1.3
cortesia	2.0
gentilezza	2.2
professionalità	2.1
competenza	1.8
risparmi*	1.0
fedele	1.0
tranquill*	1.2
serenità	1.5
emozionant*	2.2
incredibil*	2.0
spettacolar*	3.0
geniale	2.5
intuitiv*	1.8
# Negative
pessim*	-3.1
terribil*	-3.1
orribil*	-3.2
schifo	-3.2
schifos*	-3.2
vergogn*	-2.8
scandalos*	-3.0
inaccettabil*	-2.9
inammissibil*	-2.8
vergognos*	-2.9
disastr*	-3.0
disastros*	-3.0
pessimamente	-3.0
male	-1.6
malissimo	-2.8
cattiv*	-2.0
brutt*	-2.0
scadent*	-2.4
mediocr*	-1.5
deludent*	-2.3
delus*	-2.3
delusione	-2.4
insoddisfatt*	-2.3
insufficient*	-1.8
scortes*	-2.5
maleducat*	-2.7
arrogant*	-2.5
sgarbat*	-2.5
antipatic*	-2.0
incompetent*	-2.6
incapac*	-2.3
inutil*	-2.1
inefficient*	-2.0
lent*	-1.6
lentissim*	-2.4
lentezza	-1.8
ritard*	-1.7
attesa	-1.0
aspettato	-1.0
aspettare	-0.9
atteso	-0.8
problem*	-1.5
guast*	-1.9
rott*	-2.0
difettos*	-2.2
danneggiat*	-2.1
sbagliat*	-1.8
errore	-1.7
errori	-1.7
erroneament*	-1.6
sbagli*	-1.6
perso	-1.3
persa	-1.3
smarrit*	-1.6
mancant*	-1.4
manca	-1.2
mancanza	-1.3
difficil*	-1.4
complicat*	-1.5
confus*	-1.3
caro	-0.8
costos*	-1.2
truffa	-3.2
truffe	-3.2
truffat*	-3.2
fregatura	-3.0
fregat*	-2.8
ladri	-3.1
imbroglio	-3.0
reclam*	-1.6
lamentel*	-1.6
arrabbiat*	-2.5
furios*	-2.9
infuriat*	-2.9
arrabbia	-2.3
stuf*	-2.2
esasperat*	-2.6
frustrant*	-2.3
frustrat*	-2.3
scontent*	-2.2
insoddisfazione	-2.3
deluso	-2.3
triste	-1.8
preoccupat*	-1.5
paura	-1.8
fastidi*	-1.6
fastidios*	-1.8
irritant*	-1.9
assurd*	-2.2
ridicol*	-2.0
vergogna	-2.8
odio	-3.2
detesto	-3.0
disdett*	-1.6
disdire	-1.5
disdico	-1.8
recedere	-1.3
abbandon*	-1.5
annull*	-1.0
rimbors*	-0.6
addebit*	-0.5
sovrapprezz*	-1.8
rincar*	-1.6
aument*	-0.4
bloccat*	-1.4
non funziona	-2.0
fuori servizio	-1.8
mai più	-2.6
perdita di tempo	-2.8
tempo perso	-2.5
fa schifo	-3.3
fanno schifo	-3.3
un disastro	-3.0
una vergogna	-2.9
servizio pessimo	-3.2
a vuoto	-1.2
nessuna risposta	-2.2
senza risposta	-2.0
ignorat*	-2.0
maltrattat*	-2.7
sporc*	-1.8
rumoros*	-1.2
scomod*	-1.5
inaffidabil*	-2.2
insistent*	-1.4
aggressiv*	-2.2
sgradevol*	-1.9
negativ*	-1.8
peggio	-2.3
peggior*	-2.4
peggiorat*	-2.1
mancato	-1.2
mancata	-1.2
inadeguat*	-2.0
approssimativ*	-1.6
superficial*	-1.5
caos	-2.0
caotic*	-1.9
