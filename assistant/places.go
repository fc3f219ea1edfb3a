package assistant

// otherPlaces are the larger Belgian cities and municipalities. A question
// that names one the catalogue does not mention is about that place, not
// this municipality ("wie is de burgemeester van Gent"), and is out of
// scope. A municipality using the SDK should not find its own name here
// unless its catalogue mentions it, which lifts the rule.
var otherPlaces = set(`
aalst aarschot antwerpen antwerp anvers asse beringen beveren bilzen blankenberge bornem brasschaat brugge bruges brussel brussels bruxelles
deinze dendermonde diest diksmuide dilbeek eeklo geel genk gent ghent gand geraardsbergen halle hasselt heist herentals ieper ypres izegem
knokke kortrijk courtrai lanaken leuven louvain lier lokeren lommel maaseik maasmechelen mechelen menen mol ninove oostende ostend oudenaarde
poperinge riemst roeselare ronse schoten sint-niklaas sint-truiden temse tienen tongeren torhout turnhout vilvoorde waregem wetteren wevelgem
zaventem zele zottegem zwevegem luik liege namen namur charleroi bergen mons doornik tournai waver wavre aarlen arlon
`)
