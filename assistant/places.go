package assistant

import "strings"

// otherPlaces are the names of Belgium's municipalities and of their
// former municipalities (deelgemeenten), folded and written without
// hyphens or spaces ("sintniklaas", "lalouviere"), in the official
// language of each (from bpost's list of postal place names, in its Dutch
// and French editions), with the Dutch, French and English names of the
// larger cities ("luik", "anvers", "ghent"). A question that names one is
// about that place, not this municipality ("wie is de burgemeester van
// Gent"), and is out of scope, unless the entry that answers it names the
// place too, or the place is the municipality's own (Options.Home).
//
// Names that are also everyday Dutch, English or French words are left
// out: a citizen writes "werken", "melden", "zolder", "recht", "boom",
// "forest" or "lens" for their meaning, rarely for the village of that
// name. So are names shorter than four letters, but for "mol", "ath" and
// "huy".
var otherPlaces = set(`
aaigem aalbeke aalst aalter aarlen aarschot aarsele aartrijke aartselaar aat abee abolens achel
achene achet acosse acoz adegem adinkerke affligem afsnee agimont aineffe aischeenrefail aiseau
aiseaupresles aisemont alken alleur alost alsemberg alveringem amay amberloup ambleve ambly ambresin
amonines amougies ampsin andenne anderlecht anderlues andrimont angleur angre angreau anhee anlier
anloy annevoierouillon anseremme anseroeul anthee antheit anthisnes antoing antwerp antwerpen
antwerpenx anvaing anvers anzegem appelterreeichem arbre arbrefontaine arcainieres archennes
arcwattripont ardooie arendonk argenteau arlon arquennes arsimont arville aspelare asper asquillies
asse assebroek assenede assenois assent assesse astene ath athis athus attenhoven attenrode attert
attre aubange aubechies aubel aublain aubysursemois audenarde auderghem audregnies aulnois autelbas
autreeglise autreppe auvelais aveetauffe avekapelle avelgem avennes averbode avernaslebauduin avin
awans awenne awirs ayeneux aywaille baaigem baal baardegem baarlehertog baasrode bachtemarialeerne
baelen bagimont baileux bailievre baillamont bailleul baillonville baisieux baisythy balatre balegem
balen bambrugge barbencon barchon baronville barvauxcondroz barvauxsurourthe basecles basoha
bassebodeux bassenge bassevelde bassilly bastenaken bastogne baswarneton batsheers battice
battignies baudour bauffe baugnies baulers bavegem bavikhove bazel beaufays beaumont beauraing
beausaint beauvechain beauwelz beclers beerlegem beernem beerse beersel beerst beert beervelde
beerzel beffe begijnendijk beho beigem bekegem bekkerzeel bekkevoort belgrade bellaire bellecourt
bellefontaine bellegem bellem bellevaux bellevauxligneuville bellingen beloeil belsele benahin bende
berbroek berchem berchemsainteagathe berendrecht bergilers beringen berlaar berlare berlingen berloz
berneau bernissart bersillieslabbaye bertem bertogne bertree bertrix berzee beselare betekom
bettincourt beuzet beverce bevere beveren beverenaandeijzer beverenwaas beverlo beverst beyneheusay
biennelezhappart bierbeek biercee bierges bierghes bierset bierwart biesme biesmeree biesmesousthuin
bievene bievre biez bihain bikschote bilstain bilzen binche binderveld binkom bioul bissegem bizet
blaasveld blaimont blandain blanden blankenberge blaregnies blaton blaugies blegny bleharies blehen
bleid bleret blicquy bocholt bodegnee boechout boekhout boekhoute boelhe boezinge bogaarden bohan
boignee boirs boisdelessines boisdevillers boisdhaine boisetborsu bolinne bolland bomal
bomalsurourthe bombaye bommershoven boncelles boneffe bonheiden boninne bonlez bonnert bonneville
bonsecours bonsin booischot booitshoeke boorsem boortmeerbeek borchtlombeek borgerhout borgloon
borlez borlo borlon bornem bornival borsbeek borsbeke bossiere bossuit bossutgottechain bost bothey
bottelare bouffioulx bouge bougnies bouillon bourlers bourseigneneuve bourseignevieille boussoit
boussu boussuenfagne boussulezwalcourt bousval boutersem bouvignessurmeuse bouvignies bouwel
bovekerke bovelingen bovenistier bovesse bovigny braffe braibant brainelalleud brainelechateau
brainelecomte braives brakel branchon brasmenil brasschaat brecht bredene breendonk bressoux brielen
broechem broekom brucargo brugelette bruges brugge bruly brulydepesche brunehaut brussegem brussel
brussels brustem bruxelles bruyelle brye budingen buggenhout buissenal buissonville buizingen buken
bullange bulskamp bunsbeek burdinne bure burgreuland burst butgenbach buvingen buvrinnes buzenol
buzet callenelle calonne cambroncasteau cambronsaintvincent cargovil carlsbourg carnieres casteau
castillon celles cerexheheuseux cerfontaine cerouxmousty chaineux chairiere champlon chanly
chantemelle chapelleaoie chapelleawattines chapellelezherlaimont chaponseraing charleroi charleroix
charneux chassepierre chastre chastres chastrevillerouxblanmont chatelet chatelineau chatillon
chaudfontaine chaumontgistoux chausseenotredamelouvignies chenee cherain cheratte chercq chevetogne
chevron chievres chimay chiny chokier ciergnon ciney ciplet ciply clabecq clavier clermont
clermontsoushuy cognelee colfontaine comblainaupont comblainfairon comblainlatour comines
comineswarneton conneux corbais corbion cordes corenne cornesse cornimont corporatevillage
corroylechateau corroylegrand corswarem cortilnoirmont cortilwodon couillet courcelles courriere
coursurheure courtrai courtsaintetienne couthuin coutisse couturesaintgermain couvin crasavernas
crehen crisnee croixlezrouveroy crombach crupet csmliegex cuesmes cugnon culdessarts custinne
dadizele dailly daknam dalhem damme dampicourt dampremy darion daussois daussoulx daverdisse
deerlijk deftinge deinze deklinge demoeren denderbelle denderhoutem denderleeuw dendermonde
denderwindeke denee dentergem depanne depinte dergneau dessel desselgem destelbergen desteldonk
deurle deurne deuxacren dhuy diegem diepenbeek diest dietsheur dikkebus dikkele dikkelvenne
diksmuide dilbeek dilsen dilsenstokkem dinant dion dionvalmont dison dixmude dochamps dohan doische
dolembreux donceel dongelberg donk donstiennes doornik dorinne dormaal dottenijs dottignies dour
dourbes dranouter drehance driekapellen drieslinter drogenbos drongen dudzele duffel duisburg duras
durbuy durnal dworp ebenemael ebly ecaussinnes ecaussinnesdenghien ecaussinneslalaing edegem edelare
edingen eeklo eernegem egem eggewaartskapelle eghezee ehein eigenbilzen eigenbrakel eindhout eine
eisden ekeren eksaarde eksel elen elene elewijt eliksem elingen ellemelle ellezelles
ellignieslezfrasnes elligniessaintanne ellikom elouges elsegem elsenborn elsene elst elverdinge
elversele emblem embourg emelgem emines emptinne ename engelmanshoven enghien engis enines ensival
epinois eppegem eprave erbaut erbisoeul erembodegem erezee ermetonsurbiert ernage erneuville
ernonheid erondegem erpe erpemere erpent erpion erpskwerps erquelinnes erquennes ertvelde erwetegem
escanaffles esen esneux espierres espierreshelchin esplechin esquelmes essen essene estaimbourg
estaimpuis estinnes estinnesaumont estinnesauval etalle ethe etikhove ettelgem etterbeek eugies
eupen evegnee evelette everbeek everberg evere evergem evregnies evrehailles eynatten ezemaal
fagnolle faimes falaen falisolle fallais falmagne falmignoul familleureux farciennes faulxlestombes
fauroeulx fauvillers faymonville fayslesveneurs faytlefranc faytlezmanage felenne feluy feneur
fernelmont ferrieres feschaux fexhelehautclocher fexheslins filot finnevaux fizefontaine
fizelemarsal flamierge flavion flawinne flemalle flemallegrande flemallehaute flenu fleron fleurus
flobecq flone floree floreffe florennes florenville floriffoux flostoy focant folxlescaves
fontaineleveque fontainevalmont fontenelle fontenoille fontenoy fooz forchieslamarche foret
forgephilippe forges forrieres forville fosse fosseslaville fouleng fourbechies fouronlecomte
fourons fouronsaintmartin fouronsaintpierre foynotredame fraipont fraire fraiture frameries framont
franchimont francorchamps francwaret franiere frasnes frasneslezanvaing frasneslezbuissenal
frasneslezgosselies freloux freux froidchapelle froidfontaine froidmont fronville froyennes fumal
furfooz furnaux furnes gaasbeek gallaix galmaarden gand ganshoren gaurainramecroix gavere gedinne
geer geestgerompontpetitrosiere geetbets gelbressee geldenaken gelinden gellik gelrode geluveld
geluwe gembes gembloux gemmenich genappe genk genly genoelselderen gent gentbrugge gentinnes genval
geraardsbergen gerdingen gerin gerompont gerouville gerpinnes gestel gesves ghent ghislenghien ghlin
ghoy gibecq gierle gijverinkhove gijzegem gijzelbrechtegem gijzenzele gilly gimnee gingelom gistel
gits givry glabais glabbeek glain gleixhe glimes glons gochenee godarville godinne godveerdegem
goeferdinge goegnieschaussee goesnes goetsenhoven gomzeandoumont gondregnies gonrieux gontrode gooik
gorsem gorsopleeuw gosselies gotem gottem gottignies gougnies gourdinne goutroux gouvy gouylezpieton
gozee graceberleur gracehollogne graide grammene grammont grandaxhe grandglise grandhallet
grandhalleux grandhan grandleez grandmanil grandmenil grandmetz grandrechain grandreng grandrieu
grandrosierehottomont grandville grandvoir grapfontaine graty graux grazen grembergen grezdoiceau
grimbergen grimminge grivegnee grobbendonk grootbijgaarden grootgelmen grootloon grosage grosfays
grotebrogel grotenberge grotespouwen gruitrode grune grupont guignies guigoven guirsch gullegem
gutshoven haacht haaltert haasdonk haasrode habay habaylaneuve habaylavieille habergy haccourt hachy
hacquegnies haillot hainesaintpaul hainesaintpierre hainin hakendover hal halanzy hallaar halle
hallebooienhoven halleux halma halmaal haltinne hamipre hamme hammemille hamoir hamois hamont
hamontachel hampteau hamsurheure hamsursambre handzame haneffe hanneche hannut hanret hansbeke
hansurlesse hanteswiheries hanzinelle hanzinne harchies harelbeke hargimont harmignies harnoncourt
harre harsin harveng harze hasselt hastiere hastierelavaux hastierepardela hatrival haulchin hauset
hautfays hautittre hautlewastia hautrage havay havelange haversin havinnes hechtel hechteleksel
heers heestert heikruis heindonk heinsch heist heistaanzee heistopdenberg hekelgem helchin
helchteren heldergem helecine helenbos helkijn hellebecq hemelveerdegem hemiksem hemptinne
hemptinnelezflorennes hendrieken henis hennuyeres henrichapelle henripont hensies heppen heppenbach
heppignies herbeumont herchies herderen herdersem herent herentals herenthout herfelingen hergenrath
herinneslezpecq herkdestad hermallesousargenteau hermallesoushuy hermee hermetonsurmeuse herne
herquegies herseaux herselt herstal herstappe hertain hertsberge herve herzele heule heure
heureleromain heurne heusden heusdenzolder heusy heuvelland hever heverlee hevillers heyd highcodata
hillegem hingene hingeon hives hoboken hodeige hodister hody hoegaarden hoei hoeilaart hoeke
hoelbeek hoeleden hoepertingen hoeselt hoevenen hofstade hogne hognoul hollain hollange hollebeke
hollogneauxpierres hollognesurgeer holsbeek hombeek hombourg hompre hondelange honnay honnelles
hooglede hoogstade hoogstraten horebeke horionhozemont hornu horpmaal horrues hotton houdemont
houdengaimeries houdenggoegnies houdremont houffalize housse houtaing houtainleval
houtainsaintsimeon houtave houtem houthalen houthalenhelchteren houthem houthulst houtvenne houwaart
houx houyet hove hoves howardries huccorgne huise huissignies huizingen huldenberg hulshout
hulsonniaux hulste humain humbeek hundelgem huppaye huy hyon ichtegem iddergem idegem ieper impe
incourt ingelmunster ingooigem irchonwelz isieres isnes itegem itterbeek ittre ivozramet ixelles
izegem izel izenberge izier jabbeke jalhay jallet jamagne jambes jamiolle jamioulx jamoigne
jandrainjandrenouille jauche jauchelette javingue jehay jehonville jemappes jemelle jemeppesurmeuse
jemeppesursambre jeneffe jesseren jette jodoigne jodoignesouveraine jollainmerlin joncret julemont
jumet jupillesurmeuse juprelle jurbise juseret kaaskerke kachtem kaggevinne kain kallo kalmthout
kampenhout kanegem kanne kapellen kapelleopdenbos kaprijke kaster kasterlee kaulille keerbergen
keiem kemexhe kemmel kemzeke kerkhove kerkom kerkombijsinttruiden kerksken kermt kerniel
kersbeekmiskom kessel kessello kessenich kester kettenis keumiee kieldrecht kinrooi kleinebrogel
kleinespouwen kleingelmen klemskerke klerken kluisbergen kluizen knesselare knokke knokkeheist
kobbegem koekelare koekelberg koersel koksijde kolmont komenwaasten koningshooikt koninksem kontich
kooigem koolkerke koolskamp korbeekdijle korbeeklo kortemark kortenaken kortenberg kortessem kortijs
kortrijk kortrijkdutsel kraainem krombeke kruibeke kruisem kruishoutem kumtich kuringen kuttekoven
kuurne kwaadmechelen kwaremont laakdal laar laarne labouverie labruyere labuissiere lacalamine
lacuisine ladeuze laeken laforet laglanerie lagleize lahamaide lahestre lahulpe laken lalouviere
lamain lambermont lambusart lamine lamontzee lamorteau lampernisse lanaken lanaye landegem landelies
landenne landskouter laneffe langdorp langemark langemarkpoelkapelle lanklaar lanquesaint lantin
lantremange laplaigne lapscheure lareid larocheenardenne lasne lasnechapellesaintlambert lathuy
latinne latour lauw lauwe lavacherie lavauxsaintanne lavoir lebbeke lecluse lede ledeberg ledegem
leefdaal leerbeek leernes leersetfosteau leersnord leeuwergem leffinge leglise leignon leisele leke
lembeek lembeke lemberge lemesnil lendelede lennik lenssaintremy lenssaintservais lenssurgeer
leopoldsburg leroeulx leroux lesavins lesbonsvillers lesbulles lescaillere lesdain leshayons
lessines lessive lesterny lesve leswaleffes lettelingen letterhoutem leugnies leupegem leut leuven
leuze leuzeenhainaut levalchaudeville levaltrahegnies liberchies libin libramontchevigny lichtaart
lichtervelde liedekerke lieferinge liege lier lierde lierneux liernu lierre liers lievegem liezele
ligne ligney ligny lik lille lillo lilloiswitterzee limal limbourg limelette limerle limont lincent
linkebeek linkhout linsmeau linter lippelo lisogne lissewege livessurmeuse lixhe lobbes lochristi
lodelinsart loenhout loker lokeren loksbergen lombardsijde lombise lommel lommersweiler lompret
lomprez loncin londerzeel longchamps longlier longueville longvilly lontzen lonzee loonbeek loppem
lorce loreninge lotenhulle louettesaintdenis louettesaintpierre loupoigne louvain louvainlaneuve
louveigne lovendegem lovenjoel loverval loyers lubbeek luik luingne lummen lustin luttich luttre
maarkedal maarkekerkem maaseik maasmechelen mabompre machelen macon macquenoise maffe maffle magnee
maillen mainvault maisieres maissin maizeret maldegem malderen malempre malevessaintemariewastines
malines malmedy malonne malvoisin manderfeld manhay mannekensvere maransart marbais marbaix
marcheenfamenne marchelesdames marchelezecaussinnes marchienneaupont marchin marchipont
marchovelette marcinelle marcourt marcq marenne mariakerke mariekerke mariembourg marilles marke
markegem marneffe marquain martelange martenslinde martouzinneuville masbourg masnuysaintjean
masnuysaintpierre massemen massenhoven matagnelagrande matagnelapetite mater maubray maulde maurage
mazee mazenzele mazy mean mechelen mechelenaandemaas mechelenbovelingen meeffe meenselkiezegem
meerbeek meerbeke meerdonk meerhout meerle meeswijk meetkerke meeuwen meeuwengruitrode mehaigne
meigem meilegem meise meixdevantvirton meixletige meldert melen melin melkwezer melle mellery melles
mellet mellier melsbroek melsele melsen membach membre membruggen mendonk menen menin
merbeslechateau merbessaintemarie merchtem merdorp mere merelbeke merendree merkem merksem merksplas
merlemont mesen meslinleveque mesnileglise mesnilsaintblaise mespelare messancy messelbroek messines
mesvin mettekoven mettet meulebeke meux mevergnieslezlens meyerode michelbeke micheroux middelburg
middelkerke miecret mielenbovenaalst mignault millen milmort minderhout mirwart modave moelingen
moen moerbeke moerbekewaas moere moerkerke moerzeke moeskroen moha mohiville moignelee moircy mol
molenbaix molenbeek molenbeeksaintjean molenbeekwersbeek molenbeersel molenstede mollem momalle
momignies monceauenardenne monceauimbrechies monceausursambre mons monslezliege monstreux montbliart
montdelenclus montegnee montenaken montgauthier montignieslezlens montigniessaintchristophe
montigniessurroc montigniessursambre montignyletilleul montleban montroeulaubois montroeulsurhaine
montsaintandre montsaintaubert montsaintealdegonde montsaintegenevieve montsaintguibert
montsurmarchienne montzen moorsel moorsele moorslede moortsele mopertingen moregem moresnet morhet
morialme morkhoven morlanwelz morlanwelzmariemont mormont mornimont mortier mortroux mortsel
morville mouland moulbaix mourcourt mouscron moustier moustiersursambre mouzaive moxhe mozet mullem
munkzwalm muno munsterbilzen munte musson mussylaville nadrin nafraiture nalinnes nameche namur
nandrin naninne naome nassogne natoye nazareth nechin nederboelare nederbrakel nederename
nederhasselt nederokkerzeel nederoverheembeek nederzwalmhermelgem neerglabbeek neerharen neerhespen
neerheylissem neerijse neerlanden neerlinter neeroeteren neerpelt neerrepen neervelp neerwaasten
neerwinden neigem nerem nessonvaux nethen nettinne neufchateau neufmaison neufvilles neumoresnet
neupre neuville neuvilleencondroz nevele niel nielbijas nielbijsinttruiden nieuwenhove nieuwenrode
nieuwerkerken nieuwkapelle nieuwkerke nieuwkerkenwaas nieuwmunster nieuwpoort nieuwrode nijlen
nijvel nilsaintvincentsaintmartin nimy ninove nismes nivelles niverlee nives nobressart nodebais
noduwez noirchain noirfontaine noiseux nokere nollevaux noorderwijk noordschote nossegem nothomb
nouvelles noville novillelesbois novillesurmehaigne nukerke obaix obigies obourg ochamps ocquier
odeigne odeur oedelem oekene oelegem oeren oeselgem oetingen oeudeghien oevel offagne
officeexchangebrusselsairportremailing ohain ohey oigniesenthierache oisquercq oizy okegem olen
oleye ollignies olloysurviroin olmen olne olsene omal ombret omezee onhaye onkerzele onnezies onoz
onzelievevrouwlombeek onzelievevrouwwaver ooigem ooike oombergen oorbeek oordegem oostakker
oostduinkerke oosteeklo oostende oosterzele oostham oostkamp oostkerke oostmalle oostnieuwkerke
oostrozebeke oostvleteren oostwinkel opbrakel opdorp opglabbeek opgrimbie ophainboisseigneurisaac
ophasselt opheers opheylissem ophoven opitter oplinter opoeteren opont opprebais oppuurs opvelp
opwijk orbais orchimont orcq ordingen oret oreye orgeo ormeignies orpjauche orplegrand orroir
orsmaalgussenhoven ortho ostend ostende ostiches otegem oteppe othee otrange ottenburg ottergem
ottignies ottignieslouvainlaneuve oudegem oudekapelle oudenaarde oudenaken oudenburg oudergem
oudheverlee oudsbergen oudturnhout ouffet ougree oupeye outgaarden outrelouxhe outrijve ouwegem
overboelare overhespen overijse overmere overpelt overrepen overwinden paifve pailhe paliseul pamel
papignies parike parlementwallon passendale patignies paturages paulatem pecq peissant pellaines
pellenberg pelt pepingen pepinster peronneslezantoing peronneslezbinche peruwelz pervijze perwez
perwezhaillot pesche pessoux petegemaandeleie petegemaandeschelde petigny petitechapelle
petitenghien petitfays petithallet petitrechain petitroeulxlezbraine petitroeulxleznivelles
petitthier peutie philippeville pieton pietrain pietrebais pipaix piringen pironchamps pittem
plainevaux plancenoit ploegsteert plombieres poederlee poeke poelkapelle poesele pollare polleur
pollinkhove pommeroeul pondrome pontacelles pontdeloup pontillas poperinge poppel popuelles
porcheresse pottes poucet poulseur poupehan pousset presgaux presles profondeville pulderbos pulle
purnode pussemange putte puurs puurssintamands quaregnon quartes quenast queuedubois quevaucamps
quevy quevylegrand quevylepetit quievrain rachecourt racour raeren ragnies rahier ramegnies
ramegnieschin ramelot ramillies ramsdonk ramsel ramskapelle rance ransart ransberg ranst ravels
rebaix rebecq rebecqrognon recogne redu rekem rekkem relegem remagne remersdaal remicourt renaix
rendeux reninge reningelst renlies reppel ressaix ressegem resteigne retie retinne reuland reves
rhisnes rhodesaintgenese richelle riemst rienne riezes rijkel rijkevorsel rijkhoven rijmenam
riksingen rillaar riviere rixensart robechies robelmont robertville roborst rochefort rochehaut
rocherath roclengesurgeer rocourt roesbruggeharinge roeselare rognee roisin roksem rollegem
rollegemkapelle roloux roly romedenne romeree romershoven romsee rongy ronquieres ronse ronsele
roosbeek roosdaal rosee roselies rosieres rosmeer rosouxcrenwick rossignol rotem rotheuxrimiere
rotselaar roucourt roulers rouveroy rouvreux rouvroy rouxmiroir rozebeke ruddervoorde ruette ruien
ruisbroek ruiselede rukkelingenloon rulles rumbeke rumes rumillies rummen rumsdorp rumst runkelen
rupelmonde russeignies rutten saintamand saintandre saintaubin saintdenis saintdenisbovesse
saintececile saintemariechevigny saintemariesursemois sainteode saintes saintgeorgessurmeuse
saintgerard saintgermain saintgery saintghislain saintgilles sainthubert saintjeangeest
saintjossetennoode saintleger saintmarc saintmard saintmartin saintmaur saintmedard saintnicolas
saintpierre saintremy saintremygeest saintsauveur saintservais saintseverin saintsymphorien
sainttrond saintvaast saintvincent saintvith saive salles samart sambreville samree sanktvith
sarslabruyere sarslabuissiere sartbernard sartcustinne sartdamesavelines sartenfagne sarteustache
sartlezspa sartsaintlaurent sautin sautour sauveniere schaarbeek schaerbeek schaffen schalkhoven
schaltin schelderode scheldewindeke schelle schellebelle schendelbeke schepdaal scherpenheuvel
scherpenheuvelzichem schilde schoenberg schoonaarde schore schorisse schoten schriek
schuiferskapelle schulen sclayn seilles selange seloignes semmerzake seneffe sensenruth seny
senzeille septon seraing serainglechateau serinchamps serskamp serville sgravenvoeren sgravenwezel
sherenelderen sibret signeulx sijsele silenrieux sinaaiwaas sinsin sintagathaberchem sintagatharode
sintamands sintamandsberg sintandries sintantelinks sintbaafsvijve sintblasiusboekel sintdenijs
sintdenijsboekel sintdenijswestrem sintelooisvijve sintelooiswinkel sintgenesiusrode sintgillis
sintgillisdendermonde sintgilliswaas sintgoriksoudenhove sinthuibrechtshern sinthuibrechtslille
sintjacobskapelle sintjan sintjanineremo sintjansmolenbeek sintjobintgoor sintjoosttennode
sintjoosttennoode sintjoris sintjorisweert sintjoriswinge sintkatelijnewaver sintkatherinalombeek
sintkornelishorebeke sintkruis sintkruiswinkel sintkwintenslennik sintlambrechtsherk
sintlambrechtswoluwe sintlaureins sintlaureinsberchem sintlenaarts sintlievensesse sintlievenshoutem
sintmargriete sintmargrietehoutem sintmariahorebeke sintmarialatem sintmarialierde
sintmariaoudenhove sintmartensbodegem sintmartenslatem sintmartensleerne sintmartenslennik
sintmartenslierde sintmartensvoeren sintmichiels sintniklaas sintpauwels sintpieterskapelle
sintpietersleeuw sintpietersrode sintpietersvoeren sintpieterswoluwe sintrijkers sintstevenswoluwe
sinttruiden sintulrikskapelle sippenaeken sirault sivry sivryrance sleidinge slijpe slins sluizen
smeerebbevloerzegem smetlede smuid snaaskerke snellegem soheittinlot sohier soignies soiron
solresaintgery solresursambre sombreffe sommeleuze sommethonne sommiere somzee soree sorinnelalongue
sorinnes sosoye sougneremouchamps soulme soumagne soumoy sourbrodt souvret sovet soye spalbeek
spiennes spiere spierehelkijn spontin sprimont stabroek staden stalhille stambruges stave stavele
stavelot steendorp steenhuffel steenhuizewijnhuize steenkerke steenkerque steenokkerzeel stekene
stembert stene sterrebeek stevoort stokkem stokrooie stoumont straimont stree streelezhuy
strepybracquegnies strijpen strijtem strombeekbever stuivekenskerke stvith suarlee sugny surice suxy
tailles taintignies tamines tarcienne tavier taviers tavigny tellin templeuve temploux temse
tenneville teralfene terhagen terhulpen termes termonde ternat tertre tervuren terwagne tessenderlo
testelt teuven theux thiaumont thieu thieulain thieusies thimeon thimister thimisterclermont
thimougies thines thirimont thisnes thommen thorembaislesbeguines thorembaissainttrond thoricourt
thuillies thuin thulin thumaide thylebaudouin thylechateau thynes thys tiegem tielen tielrode tielt
tieltwinge tienen tignee tihange tildonk tilff tillet tilleur tillier tinlot tintange tintigny
tirlemont tisselt toernich tohogne tollembeek tongeren tongerlo tongrenotredame tongres
tongresaintmartin tongrinne tontelange torgny torhout tourinne tourinneslagrosse
tourinnessaintlambert tournai tournay tourpes transinne trazegnies treignes trembleur tremelo
trivieres trognee troisponts trooz tubeke tubize turnhout uccle ucimont uikhoven uitbergen uitkerke
ukkel ulbeek upigny ursel vaalbeek valmeer vance varendonk varsenare vaucelles vaulx vaulxlezchimay
vauxchavanne vauxetborset vauxlezrosieres vauxsouschevremont vauxsursure vechmaal vedrin veerle
velaines velainesursambre veldegem veldwezelt vellereillelesbrayeux vellereillelesec velm velroux
veltembeisem velzekeruddershove vencimont vergnies verlaine verlee verrebroek vertrijk verviers
vesqueville veulen veurne vezin vezon viane vichte vielsalm viemme viersel viersetbarse
viervessurviroin viesville vieuxgenappe vieuxville vieuxwaleffe villance villeenhesbaye
villepommeroeul villerot villersauxtours villersdeuxeglises villersdevantorval villersenfagne
villerslabonneeau villerslaloue villerslatour villerslaville villerslebouillet villerslegambon
villerslepeuplier villersletemple villersleveque villerslezheest villersnotredame villersperwin
villerspoterie villerssaintamand villerssaintegertrude villerssaintghislain villerssaintsimeon
villerssurlesse villerssursemois villesurhaine vilvoorde vilvorde vinalmont vinderhoute vinkem vinkt
virelles virginalsamme viroinval virton vise vissenaken vitrival vivegnis vivy vladslo vlamertinge
vlekkem vleteren vlezenbeek vliermaal vliermaalroot vlierzele vlijtingen vlimmeren vlissegem
vloesberg vodecee vodelee vogenee volkegem vollezele voneche voorde voormezele vorouxgoreux
vorouxlezliers vorselaar vorsen vosselaar vosselare vossem vottem vrasene vremde vreren
vressesursemois vroenhoven vucht vurste vyleettharoul waanrode waarbeke waardamme waarloos
waarmaarde waarschoot waasmont waasmunster waasten wachtebeke wadelincourt wagnelee waha waillet
waimes walcourt walem walhain walhainsaintpaul walhorn walsbets walshoutem waltwilder wambeek
wancennes wandre wanferceebaulet wange wangenies wanlin wanne wannebecq wannegemlede wansin wanze
wanzele warchin warcoing wardin waregem waremme waretlachaussee waretleveque warisoulx warnant
warnantdreye warneton warquignies warsage warzee wasmes wasmesaudemezbriffoeil wasmuel wasseiges
waterlandoudeman waterloo watermaalbosvoorde watermaelboitsfort watervliet watou wattripont waudrez
waulsort wauthierbraine waver wavre wavreille wayaux ways webbekom wechelderzande weerde wegnez
weillen welden welkenraedt wellin wemmel wenduine wepion werbomont werchter weris werm wervik
wespelaar westende westerlo westkapelle westkerke westmalle westmeerbeek westouter westrem
westrozebeke westvleteren wetteren wevelgem wezemaal wezembeekoppem wezeren wezvelvain wibrin
wichelen widooie wiekevorst wielsbeke wierde wiers wiesme wieze wiheries wihogne wijchmaal wijer
wijgmaal wijnegem wijshagen wijtschate wilderen willaupuis willebringen willebroek willemeau
willerzie wilrijk wilsele wilskerke wimmertingen winenne wingene winksele wintershoven witry wodecq
woesten wolkrange woluwe woluwesaintlambert woluwesaintpierre wolvertem wommelgem wommersom wonck
wondelgem wontergem wortegem wortegempetegem woubrechtegem woumen wulpen wulvergem wulveringem
wuustwezel xhendelesse xhendremael xhoris yerneefraineux ypres yvesgomezee yvoir zaffelare
zandbergen zande zandhoven zandvliet zandvoorde zarlardinge zarren zaventem zedelgem zeebrugge
zegelsem zele zelem zellik zelzate zemst zepperen zerkegem zetrudlumay zevekote zeveneken zeveren
zevergem zichem zichenzussenbolder zillebeke zingem zinnik zoerleparwijs zoersel zomergem zonhoven
zonnebeke zonnegem zottegem zoutenaaie zoutleeuw zuidschote zuienkerke zulte zulzeke zutendaal zwalm
zwevegem zwevezele zwijnaarde zwijndrecht
`)

// maxPlaceWords is the most words of a place name written apart that are
// joined to look it up ("heist op den berg", "sint niklaas").
const maxPlaceWords = 4

// joinName folds a place name and joins its words as otherPlaces
// writes them ("Sint-Niklaas" → "sintniklaas").
func joinName(name string) string {
	var b strings.Builder
	for _, r := range fold(name) {
		if !notWordRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
