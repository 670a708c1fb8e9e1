# English rules for xo-score's sentiment scorer: negators, boosters,
# contrast words and common words for language detection.
# Written for xo (hand-made, no outside source); licence: as xo itself.
@lang	en
@negator-suffix	n't
@negator	not no never none nobody nothing nowhere neither nor cannot cant dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt aint without rarely seldom hardly barely
@contrast	but however although though yet
# Intensifiers add, dampeners subtract (VADER's step is 0.293).
@booster	very	0.293
@booster	really	0.293
@booster	so	0.293
@booster	too	0.293
@booster	extremely	0.293
@booster	absolutely	0.293
@booster	totally	0.293
@booster	completely	0.293
@booster	utterly	0.293
@booster	incredibly	0.293
@booster	highly	0.293
@booster	most	0.293
@booster	more	0.293
@booster	super	0.293
@booster	truly	0.293
@booster	especially	0.293
@booster	exceptionally	0.293
@booster	remarkably	0.293
@booster	seriously	0.293
@booster	terribly	0.293
@booster	awfully	0.293
@booster	hugely	0.293
@booster	deeply	0.293
@booster	entirely	0.293
@booster	fully	0.293
@booster	particularly	0.293
@booster	quite	0.293
@booster	such	0.293
@booster	way	0.293
@booster	damn	0.293
@booster	freaking	0.293
@booster	insanely	0.293
@booster	ridiculously	0.293
@booster	amazingly	0.293
@booster	slightly	-0.293
@booster	somewhat	-0.293
@booster	barely	-0.293
@booster	hardly	-0.293
@booster	marginally	-0.293
@booster	partly	-0.293
@booster	kinda	-0.293
@booster	sorta	-0.293
@booster	little	-0.293
@booster	less	-0.293
@booster	occasionally	-0.293
@booster	almost	-0.293
@booster	fairly	-0.293
@booster	rather	-0.293
@stopword	the and is are was were of to in that it this with for on you not have has be at they but my your i we what which there from would could should been very
