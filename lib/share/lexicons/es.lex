# Spanish sentiment lexicon for xo-score (xo-lexicon(5)).
# Hand-made for xo from general knowledge of the language, aimed at
# customer-service text (surveys, chats, calls, reviews). No outside
# lexicon was copied. Valences on VADER's scale (-4..+4); "WORD*" is a
# stem matching every word that starts with it (gender, number, tense).
# Licence: as xo itself. Small: expect lower accuracy than English.
@lang	es
@negator	no nunca jamás nadie nada ningún ninguno ninguna ni sin tampoco poco apenas
@contrast	pero aunque sino embargo
@booster	muy	0.293
@booster	mucho	0.293
@booster	muchísimo	0.293
@booster	demasiado	0.293
@booster	realmente	0.293
@booster	totalmente	0.293
@booster	completamente	0.293
@booster	súper	0.293
@booster	super	0.293
@booster	tan	0.293
@booster	tanto	0.293
@booster	extremadamente	0.293
@booster	absolutamente	0.293
@booster	increíblemente	0.293
@booster	especialmente	0.293
@booster	sumamente	0.293
@booster	verdaderamente	0.293
@booster	siempre	0.293
@booster	bastante	-0.293
@booster	algo	-0.293
@booster	ligeramente	-0.293
@booster	casi	-0.293
@booster	relativamente	-0.293
@stopword	el la los las un una de del en con por para que es y no me he ha son al lo este esta muy pero también como porque se está fue estoy mi nos les hay nadie
# Positive
excelent*	3.2
perfect*	3.0
fantástic*	3.2
maravill*	3.1
estupend*	3.0
espectacular*	3.0
magnífic*	3.1
extraordinari*	3.0
genial	2.8
geniales	2.8
increíble	2.4
increíbles	2.4
buen*	1.9
bien	1.8
muy bien	2.2
bonit*	1.8
lind*	1.9
amabl*	2.2
amabil*	2.4
buenísim*	2.9
rapidísim*	2.4
amabilidad	2.2
atent*	1.8
cortés	2.0
educad*	1.6
profesional*	1.9
competent*	1.9
eficient*	2.0
eficaz	1.8
rápid*	1.6
veloz	1.6
puntual*	1.8
clar*	1.2
fácil*	1.5
sencill*	1.3
cómod*	1.5
práctic*	1.2
útil	1.6
útiles	1.6
conveniente	1.5
económic*	1.0
barat*	0.9
satisfech*	2.2
content*	2.0
feliz	2.6
felices	2.6
encant*	2.8
gracias	1.5
agradec*	1.8
recomiend*	1.8
recomendable	1.8
recomendad*	1.6
confiabl*	1.9
fiable	1.9
segur*	1.2
calidad	1.0
resuelt*	1.8
resolvi*	1.8
solucion*	1.5
ayud*	1.2
simpátic*	2.0
pacien*	1.5
limpi*	1.4
funciona	1.3
funcionan	1.3
impecable	3.0
impecables	3.0
me gusta	1.9
me gustó	1.9
gusta	1.6
agradable*	2.0
aprecio	1.8
felicidades	2.6
felicito	2.6
mejor	2.2
mejores	2.2
mejorad*	1.5
positiv*	1.8
ventaj*	1.5
tranquil*	1.2
rapidez	1.8
eficiencia	1.9
profesionalidad	2.1
profesionalismo	2.1
cordial*	1.9
ok	0.9
vale la pena	2.0
de maravilla	3.0
una pasada	2.8
correct*	1.2
acertad*	1.5
intuitiv*	1.8
# Negative
pésim*	-3.1
terribl*	-3.1
horribl*	-3.2
horror*	-3.0
asco	-3.2
asqueros*	-3.2
vergüenza	-2.8
vergonzos*	-2.9
escandalos*	-3.0
inaceptabl*	-2.9
desastr*	-3.0
mal	-1.6
malo	-2.0
mala	-2.0
malos	-2.0
malas	-2.0
fatal	-2.8
malísim*	-2.9
deficient*	-2.2
mediocr*	-1.5
decepcion*	-2.3
insatisfech*	-2.3
insuficient*	-1.8
descortés	-2.5
maleducad*	-2.7
grosero	-2.6
grosera	-2.6
groser*	-2.6
arrogant*	-2.5
antipátic*	-2.0
incompetent*	-2.6
incapac*	-2.3
inútil*	-2.1
ineficient*	-2.0
lent*	-1.6
lentitud	-1.8
retras*	-1.7
demor*	-1.6
espera	-0.9
esperé	-1.0
esperando	-0.9
problem*	-1.5
averí*	-1.9
rot*	-1.8
defectuos*	-2.2
dañad*	-2.1
equivocad*	-1.8
error	-1.7
errores	-1.7
incorrect*	-1.8
perdid*	-1.3
extraviad*	-1.6
falt*	-1.2
difícil*	-1.4
complicad*	-1.5
confus*	-1.3
car*	-0.8
costos*	-1.2
estafa*	-3.2
estafad*	-3.2
timo	-3.0
engañ*	-2.8
ladrones	-3.1
reclam*	-1.6
queja*	-1.6
enfadad*	-2.5
enojad*	-2.5
furios*	-2.9
harto	-2.4
harta	-2.4
hart*	-2.3
frustra*	-2.3
descontent*	-2.2
triste*	-1.8
preocupad*	-1.5
miedo	-1.8
molest*	-1.7
irritant*	-1.9
absurd*	-2.2
ridícul*	-2.0
odio	-3.2
detesto	-3.0
cancelar	-1.5
cancelé	-1.6
cancelación	-1.2
baja	-1.0
abandon*	-1.5
reembols*	-0.6
cobr*	-0.5
bloquead*	-1.4
no funciona	-2.0
fuera de servicio	-1.8
nunca más	-2.6
pérdida de tiempo	-2.8
un desastre	-3.0
una vergüenza	-2.9
sin respuesta	-2.0
ignorad*	-2.0
maltrat*	-2.7
suci*	-1.8
ruidos*	-1.2
incómod*	-1.5
agresiv*	-2.2
desagradabl*	-1.9
negativ*	-1.8
peor	-2.3
peores	-2.4
empeor*	-2.1
inadecuad*	-2.0
caos	-2.0
caótic*	-1.9
fraude	-3.1
abusiv*	-2.6
