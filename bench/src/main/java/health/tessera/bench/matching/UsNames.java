package health.tessera.bench.matching;

import java.util.List;

/**
 * Name and place lists for the generated US population, written for this benchmark: common US given names by sex
 * and surnames in rough order of frequency (the generator weighs them Zipf-like by rank), street names, and cities
 * with their state, three-digit ZIP prefix and area code.
 */
final class UsNames {

    private UsNames() {}

    static final List<String> MALE = List.of(("james john robert michael william david richard joseph thomas charles "
                    + "christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian "
                    + "george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry "
                    + "justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry "
                    + "tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian "
                    + "keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan "
                    + "bruce gabriel logan albert alan juan wayne elijah randy roy vincent ralph eugene russell "
                    + "philip louis carlos luis miguel antonio liam aiden evan owen caleb isaac luke hunter connor "
                    + "jackson marcus victor martin curtis travis shane derek leonard howard phillip craig todd "
                    + "frederick dale glenn stanley herbert francis theodore edwin clifford mitchell calvin wesley "
                    + "isaiah xavier oscar julian diego ivan cody chad brett garrett dustin spencer mario ricardo")
            .split(" "));

    static final List<String> FEMALE = List.of(("mary patricia jennifer linda elizabeth barbara susan jessica sarah "
                    + "karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda "
                    + "dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna "
                    + "brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet "
                    + "catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina "
                    + "joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison "
                    + "frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle "
                    + "beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori ava mia "
                    + "chloe ella lily zoe leah aubrey addison brooklyn claire savannah audrey allison lucy valerie "
                    + "gabrielle veronica yolanda rosa carmen monica wendy tiffany erin vanessa kristen tracy "
                    + "alison dana renee tamara sylvia eleanor lillian florence edith josephine caroline miranda "
                    + "priscilla bridget penelope harriet matilda rosemary susanna wilhelmina winifred gwendolyn")
            .split(" "));

    static final List<String> SURNAMES = List.of(("smith johnson williams brown jones garcia miller davis rodriguez "
                    + "martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez "
                    + "thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott "
                    + "torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts "
                    + "gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy "
                    + "cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward "
                    + "richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez "
                    + "castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan bell "
                    + "coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson "
                    + "alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson "
                    + "ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald "
                    + "woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson "
                    + "simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer "
                    + "wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels "
                    + "ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold "
                    + "pierce vazquez hansen peters santos hart bradley knight elliott cunningham duncan armstrong "
                    + "hudson carroll lane riley andrews alvarado ray delgado berry perkins hoffman johnston matthews "
                    + "pena richards contreras willis carpenter lawrence sandoval guerrero george chapman rios estrada "
                    + "ortega watkins greene nunez wheeler valdez harper burke larson santiago maldonado morrison "
                    + "franklin carlson austin dominguez carr lawson jacobs obrien lynch singh vega bishop montgomery "
                    + "oliver jensen harvey williamson gilbert dean sims espinoza howell li wong reid hanson le mccoy "
                    + "garrett burton fuller wang weber welch rojas lucas marquez fields park yang little banks padilla "
                    + "day walsh bowman schultz luna fowler mejia davidson acosta brewer may holland juarez newman "
                    + "pearson curtis cortez douglas schneider joseph barrett navarro figueroa keller avila wade molina "
                    + "stanley hopkins campos barnett bates chambers caldwell beck lambert miranda byrd craig ayala "
                    + "lowe frazier powers neal leonard gregory carrillo sutton fleming rhodes shelton schwartz norris "
                    + "jennings watts duran walters cohen mcdaniel moran parks steele vaughn becker holt deleon barker "
                    + "terry hale leon benson haynes horton miles lyons pham graves bush thornton wolfe warner cabrera "
                    + "mckinney mann zimmerman dawson lara fletcher page mccarthy love robles cervantes solis erickson "
                    + "reeves chang klein salinas fuentes baldwin simon velasquez hardy higgins aguirre lin cummings "
                    + "chandler sharp barber bowen ochoa dennis robbins liu ramsey francis griffith blair oconnor "
                    + "cardenas pacheco cross calderon quinn moss swanson chan rivas khan rodgers serrano fitzgerald "
                    + "rosales stevenson christensen manning gill curry mclaughlin harmon mcgee gross doyle garner "
                    + "newton burgess reese walton blake trujillo adkins brady goodman roman webster goodwin fischer "
                    + "huang potter delacruz montoya todd wu hines mullins castaneda malone cannon tate mack sherman "
                    + "hubbard hodges zhang guerra wolf valencia saunders franco rowe gallagher farmer hammond hampton "
                    + "townsend ingram wise gallegos clarke barton schroeder maxwell waters logan camacho strickland "
                    + "norman colon parsons harrington glover osborne buchanan casey floyd patton ibarra ball "
                    + "suarez bowers orozco salas cobb gibbs andrade bauer conner moody escobar mcguire lloyd mueller "
                    + "hartman french kramer mcbride pope lindsey velazquez norton mccormick sparks flynn yates hogan "
                    + "marsh macias villanueva zamora pratt stokes ballard lang brock villarreal drake barrera cain "
                    + "pineda burnett mercado santana shepherd bautista shaffer lamb trevino mckenzie hess olsen "
                    + "cochran morton nash wilkins petersen briggs shah roth nicholson holloway lozano rangel flowers "
                    + "hoover arias mora valenzuela meyers weiss underwood bass greer summers houston carson morrow "
                    + "clayton whitaker decker yoder collier zuniga carey wilcox melendez poole roberson larsen conley "
                    + "davenport copeland massey lam huff rocha cameron jefferson hood monroe pittman huynh randall "
                    + "singleton kirk combs mathis skinner bradford galvan wall boone kirby wilkinson bridges "
                    + "atkinson velez meza york hodge villa abbott tapia gates chase sosa sweeney farrell wyatt dalton "
                    + "horn barron phelps dickerson heath foley atkins bonilla acevedo benitez zavala hensley glenn "
                    + "cisneros harrell shields rubio huffman choi boyer garrison arroyo bond kane hancock callahan "
                    + "dillon cline wiggins grimes arellano melton oneill savage beltran pitts parrish ponce booth koch "
                    + "golden brennan mcdowell marks cantu humphrey baxter sawyer tanner hutchinson berg wiley gilmore "
                    + "russo villegas hobbs wilkerson ahmed beard mcclain montes rosario henson mosley mcclure "
                    + "beasley stephenson snow huerta preston vance barry eaton blackwell dyer prince macdonald "
                    + "solomon guevara stafford english hurst woodard shannon kemp nolan mccullough merritt murillo "
                    + "salgado kline cordova barajas roach rosas winters jacobson lester knox bullock kerr leach "
                    + "meadows davila whitehead pruitt kent conway mckee dejesus marin berger mcintyre blankenship "
                    + "gaines palacios cuevas bartlett durham dorsey mccall odonnell stein browning stout lowery "
                    + "sloan mclean hendricks calhoun sexton chung gentry hull duarte ellison nielsen gillespie buck "
                    + "middleton sellers leblanc esparza hardin bradshaw mcintosh howe livingston frost glass morse "
                    + "knapp herman stark bravo noble spears weeks corona buckley mcfarland hebert enriquez hickman "
                    + "quintero randolph schaefer trejo reilly pennington conrad giles crosby fitzpatrick donovan "
                    + "mays mahoney valentine medrano hahn mcmillan bentley felix peck lucero boyle hanna pace rush "
                    + "hurley harding mcconnell bernal nava ayers everett ventura avery pugh mayer bender shepard "
                    + "mcmahon landry sampson magana blackburn dunlap gould duffy vaughan herring mckay espinosa "
                    + "rivers farley bernard friedman potts truong costa correa blevins nixon clements fry delarosa "
                    + "benton lugo portillo dougherty crane haley phan villalobos blanchard horne finley quintana "
                    + "esquivel dodson mullen xiong hayden cano levy huber richmond moyer frye sheppard mccarty avalos "
                    + "booker waller parra woodward jaramillo krueger rasmussen brandt peralta donaldson stuart "
                    + "faulkner maynard galindo coffey estes sanford burch maddox oconnell andersen spence mcpherson "
                    + "church schmitt stanton leal compton dudley sierra pollard alfaro hester proctor hinton novak "
                    + "madden mccann terrell jarvis dickson reyna cantrell mayo branch hendrix rollins rowland "
                    + "whitney odom daugherty tang archer kowalski nowak wisniewski dabrowski lewandowski okafor "
                    + "adeyemi mensah nakamura tanaka yamamoto suzuki takahashi watanabe kobayashi ivanov petrov "
                    + "schubert bergstrom lindqvist johansson virtanen kowalczyk szabo horvath novotny dvorak")
            .split(" "));

    static final List<String> STREETS = List.of(("main oak maple cedar pine elm washington lake hill park walnut "
                    + "lincoln jefferson madison jackson franklin church spring center north south river view highland "
                    + "sunset forest meadow ridge valley willow cherry chestnut dogwood magnolia sycamore hickory "
                    + "birch aspen laurel holly juniper poplar spruce cypress harbor bay mill school railroad market "
                    + "water union prospect liberty adams monroe grant sherman wilson taylor johnson hamilton "
                    + "clinton pleasant fairview greenwood lakeview hillcrest woodland orchard vine academy college "
                    + "broad canal bridge depot ferry garden grove heritage kingston lexington oxford cambridge "
                    + "devonshire wellington victoria princeton stratford")
            .split(" "));

    static final List<String> STREET_TYPES = List.of(
            "Street", "Avenue", "Road", "Drive", "Lane", "Court", "Boulevard", "Way", "Place", "Circle", "Terrace");

    /** City, state, ZIP prefix (3 digits), area code. */
    record City(String name, String state, String zip3, String area) {}

    static final List<City> CITIES = List.of(
            new City("Springfield", "IL", "627", "217"),
            new City("Columbus", "OH", "432", "614"),
            new City("Dayton", "OH", "454", "937"),
            new City("Cleveland", "OH", "441", "216"),
            new City("Indianapolis", "IN", "462", "317"),
            new City("Louisville", "KY", "402", "502"),
            new City("Nashville", "TN", "372", "615"),
            new City("Memphis", "TN", "381", "901"),
            new City("Atlanta", "GA", "303", "404"),
            new City("Savannah", "GA", "314", "912"),
            new City("Charlotte", "NC", "282", "704"),
            new City("Raleigh", "NC", "276", "919"),
            new City("Richmond", "VA", "232", "804"),
            new City("Norfolk", "VA", "235", "757"),
            new City("Baltimore", "MD", "212", "410"),
            new City("Philadelphia", "PA", "191", "215"),
            new City("Pittsburgh", "PA", "152", "412"),
            new City("Harrisburg", "PA", "171", "717"),
            new City("Newark", "NJ", "071", "973"),
            new City("Trenton", "NJ", "086", "609"),
            new City("Albany", "NY", "122", "518"),
            new City("Buffalo", "NY", "142", "716"),
            new City("Rochester", "NY", "146", "585"),
            new City("Hartford", "CT", "061", "860"),
            new City("Boston", "MA", "021", "617"),
            new City("Worcester", "MA", "016", "508"),
            new City("Providence", "RI", "029", "401"),
            new City("Portland", "ME", "041", "207"),
            new City("Burlington", "VT", "054", "802"),
            new City("Detroit", "MI", "482", "313"),
            new City("Grand Rapids", "MI", "495", "616"),
            new City("Milwaukee", "WI", "532", "414"),
            new City("Madison", "WI", "537", "608"),
            new City("Minneapolis", "MN", "554", "612"),
            new City("Saint Paul", "MN", "551", "651"),
            new City("Des Moines", "IA", "503", "515"),
            new City("Omaha", "NE", "681", "402"),
            new City("Kansas City", "MO", "641", "816"),
            new City("Saint Louis", "MO", "631", "314"),
            new City("Tulsa", "OK", "741", "918"),
            new City("Oklahoma City", "OK", "731", "405"),
            new City("Dallas", "TX", "752", "214"),
            new City("Houston", "TX", "770", "713"),
            new City("San Antonio", "TX", "782", "210"),
            new City("Austin", "TX", "787", "512"),
            new City("El Paso", "TX", "799", "915"),
            new City("Albuquerque", "NM", "871", "505"),
            new City("Phoenix", "AZ", "850", "602"),
            new City("Tucson", "AZ", "857", "520"),
            new City("Denver", "CO", "802", "303"),
            new City("Salt Lake City", "UT", "841", "801"),
            new City("Boise", "ID", "837", "208"),
            new City("Las Vegas", "NV", "891", "702"),
            new City("Sacramento", "CA", "958", "916"),
            new City("Fresno", "CA", "937", "559"),
            new City("San Diego", "CA", "921", "619"),
            new City("Oakland", "CA", "946", "510"),
            new City("Portland", "OR", "972", "503"),
            new City("Seattle", "WA", "981", "206"),
            new City("Spokane", "WA", "992", "509"),
            new City("Jacksonville", "FL", "322", "904"),
            new City("Orlando", "FL", "328", "407"),
            new City("Tampa", "FL", "336", "813"),
            new City("Miami", "FL", "331", "305"),
            new City("Birmingham", "AL", "352", "205"),
            new City("Jackson", "MS", "392", "601"),
            new City("Little Rock", "AR", "722", "501"),
            new City("New Orleans", "LA", "701", "504"));

    static final List<String> EMAIL_DOMAINS =
            List.of("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com", "comcast.net");

    private static final String[] SURNAME_HEADS =
            ("bar ken mal dor fel har lin mor ral sten tor wen ash bel cal dun elm "
                            + "far gar hol kirk lang mar nor pen quin ros sel thor val wel york brad crom dal ever fair glad "
                            + "heth ing jas kel lor mun nev oak pry rud sand tal ull vick wald zel")
                    .split(" ");
    private static final String[] SURNAME_TAILS =
            ("ton ley field worth son man er ford well by wood stein berg ski ova "
                            + "ez ini elli ard ing more wick dale croft hurst")
                    .split(" ");
    private static final String[] GIVEN_HEADS =
            "ja ka bri ma ty ra la za ke de ni sha ar el jo da ry ca an li".split(" ");
    private static final String[] GIVEN_TAILS =
            "den lyn son ley lee ric ton ya na ra rie vin ron lia ris dan mon tha ven lan".split(" ");

    /** A rarer surname from the long tail (about 2,500 of them). */
    static String tailSurname(java.util.Random rnd) {
        return SURNAME_HEADS[rnd.nextInt(SURNAME_HEADS.length)] + SURNAME_TAILS[rnd.nextInt(SURNAME_TAILS.length)];
    }

    /** A rarer given name from the long tail (about 400 of them). */
    static String tailGiven(java.util.Random rnd) {
        return GIVEN_HEADS[rnd.nextInt(GIVEN_HEADS.length)] + GIVEN_TAILS[rnd.nextInt(GIVEN_TAILS.length)];
    }
}
