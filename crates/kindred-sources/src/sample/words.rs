//! The vocabulary of the sample mailbox: names, organisations, subjects, sentences and
//! the automated senders. Only data lives here; `{slot}`s are filled by `text::expand`.

use chrono_tz::{Africa, America, Asia, Australia, Europe, Pacific, Tz};

use super::world::{Circle, Home, Life, MailClient, Tier};

/// A naming culture: given names, family names, where its people live, and what its
/// Outlook writes before the subject of a reply.
pub(super) struct Culture {
    pub firsts: &'static [&'static str],
    pub lasts: &'static [&'static str],
    pub zones: &'static [Tz],
    pub reply_prefix: &'static str,
}

/// Index of the German culture in [`CULTURES`] (my employer's home culture).
pub(super) const GERMAN: usize = 2;
/// Index of the Nordic culture in [`CULTURES`] (my family's).
pub(super) const NORDIC: usize = 3;

#[rustfmt::skip]
pub(super) const CULTURES: &[Culture] = &[
    Culture {
        firsts: &["James", "Emily", "Michael", "Sarah", "David", "Jessica", "Chris", "Ashley",
            "Ryan", "Megan", "Tyler", "Lauren"],
        lasts: &["Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson",
            "Taylor", "Thompson", "Harris", "Clark"],
        zones: &[America::New_York, America::Chicago, America::Denver, America::Los_Angeles],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Oliver", "Amelia", "Harry", "Charlotte", "George", "Isla", "Callum", "Niamh",
            "Rhys", "Eilidh"],
        lasts: &["Evans", "Hughes", "O'Brien", "Murphy", "Walsh", "Campbell", "Fletcher",
            "Hargreaves", "McLeod", "Doyle"],
        zones: &[Europe::London, Europe::Dublin],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Jürgen", "Katrin", "Lukas", "Anja", "Felix", "Sabine", "Leonie", "Matthias",
            "Stefanie", "Tobias"],
        lasts: &["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Hoffmann",
            "Schäfer", "Krüger", "Vogel"],
        zones: &[Europe::Berlin, Europe::Vienna, Europe::Zurich],
        reply_prefix: "AW: ",
    },
    Culture {
        firsts: &["Erik", "Ingrid", "Lars", "Astrid", "Mikael", "Sigrid", "Søren", "Freja",
            "Henrik", "Maja"],
        lasts: &["Andersson", "Johansson", "Nilsson", "Hansen", "Larsen", "Virtanen", "Korhonen",
            "Østergaard", "Berg", "Sjöberg"],
        zones: &[Europe::Stockholm, Europe::Oslo, Europe::Copenhagen, Europe::Helsinki],
        reply_prefix: "SV: ",
    },
    Culture {
        firsts: &["François", "Camille", "Julien", "Chloé", "Mathieu", "Élodie", "Antoine",
            "Manon", "Benoît", "Inès"],
        lasts: &["Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Mercier",
            "Chevalier", "Gauthier", "Bernard"],
        zones: &[Europe::Paris, America::Toronto, Europe::Brussels],
        reply_prefix: "RE : ",
    },
    Culture {
        firsts: &["José", "Lucía", "Alejandro", "María", "Javier", "Carmen", "Diego", "Valentina",
            "Pablo", "Sofía"],
        lasts: &["García", "Rodríguez", "Martínez", "López", "Sánchez", "Pérez", "Núñez",
            "Castillo", "Romero", "Herrera"],
        zones: &[Europe::Madrid, America::Mexico_City, America::Bogota,
            America::Argentina::Buenos_Aires],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["João", "Ana", "Pedro", "Beatriz", "Thiago", "Mariana", "Larissa", "Gonçalo",
            "Vitória", "Caio"],
        lasts: &["Silva", "Santos", "Oliveira", "Costa", "Pereira", "Gonçalves", "Almeida",
            "Carvalho", "Ribeiro", "Araújo"],
        zones: &[America::Sao_Paulo, Europe::Lisbon],
        reply_prefix: "RES: ",
    },
    Culture {
        firsts: &["Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara", "Matteo",
            "Elena", "Davide", "Sara"],
        lasts: &["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Conti", "Greco"],
        zones: &[Europe::Rome],
        reply_prefix: "R: ",
    },
    Culture {
        firsts: &["Łukasz", "Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Jakub",
            "Zofia", "Paweł", "Ewa"],
        lasts: &["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamińska", "Zieliński", "Szymański",
            "Dvořák", "Novotná", "Lewandowski"],
        zones: &[Europe::Warsaw, Europe::Prague],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Daan", "Sanne", "Thijs", "Fleur", "Bram", "Lotte", "Joris", "Anouk", "Sem",
            "Femke"],
        lasts: &["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit",
            "Meijer", "Mulder", "de Boer"],
        zones: &[Europe::Amsterdam, Europe::Brussels],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Aarav", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Arjun", "Divya",
            "Sanjay", "Nisha"],
        lasts: &["Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Kulkarni",
            "Chatterjee", "Bose"],
        zones: &[Asia::Kolkata],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Fang", "Jun", "Li", "Hao", "Mei", "Yang", "Xin", "Lei", "Ying", "Bo"],
        lasts: &["Wang", "Zhang", "Liu", "Huang", "Zhao", "Wu", "Zhou", "Lin", "Tan", "Xu"],
        zones: &[Asia::Shanghai, Asia::Singapore, Asia::Hong_Kong, Asia::Taipei],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Hiroshi", "Yuki", "Takeshi", "Aiko", "Kenji", "Haruka", "Daisuke", "Sakura",
            "Ryo", "Emi"],
        lasts: &["Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura",
            "Kobayashi", "Sato", "Kato"],
        zones: &[Asia::Tokyo],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Dong-hyun", "Soo-ah", "Jae-won",
            "Eun-ji"],
        lasts: &["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han"],
        zones: &[Asia::Seoul],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Ama", "Chinedu", "Ngozi", "Kofi", "Adaeze", "Tunde", "Folake", "Emeka", "Abena",
            "Yaw"],
        lasts: &["Adeyemi", "Boateng", "Okonkwo", "Asante", "Eze", "Owusu", "Balogun", "Nwosu",
            "Mensah", "Okoro"],
        zones: &[Africa::Lagos, Africa::Accra, Africa::Nairobi],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Omar", "Layla", "Karim", "Nour", "Youssef", "Yasmin", "Tariq", "Salma",
            "Hassan", "Rania"],
        lasts: &["Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Aziz", "Farouk", "Hamdan",
            "Rahman", "Said"],
        zones: &[Asia::Dubai, Africa::Cairo, Asia::Amman],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Emre", "Zeynep", "Burak", "Elif", "Mert", "Çağla", "Kerem", "Ayşe"],
        lasts: &["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk"],
        zones: &[Europe::Istanbul],
        reply_prefix: "YNT: ",
    },
    Culture {
        firsts: &["Minh", "Linh", "Tuan", "Thao", "Huy", "Mai", "Quang", "Huong"],
        lasts: &["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"],
        zones: &[Asia::Ho_Chi_Minh],
        reply_prefix: "RE: ",
    },
    Culture {
        firsts: &["Jack", "Matilda", "Lachlan", "Zoë", "Cooper", "Mia", "Riley", "Harper"],
        lasts: &["Kelly", "Ryan", "Mitchell", "Cooper", "Stewart", "Walker", "Bennett", "Nguyen"],
        zones: &[Australia::Sydney, Australia::Melbourne, Pacific::Auckland],
        reply_prefix: "RE: ",
    },
];

/// A person whose part in my life is written rather than drawn.
pub(super) struct CastMember {
    pub first: &'static str,
    pub last: &'static str,
    /// Index into [`CULTURES`].
    pub culture: usize,
    pub circle: Circle,
    pub tier: Tier,
    pub life: Life,
    pub home: Home,
    pub zone: Tz,
    pub client: MailClient,
    pub title: &'static str,
    /// How much more (or less) than others of their tier they write.
    pub boost: f64,
}

const fn cast(
    (first, last, culture): (&'static str, &'static str, usize),
    (circle, tier, life): (Circle, Tier, Life),
    home: Home,
    zone: Tz,
    client: MailClient,
    (title, boost): (&'static str, f64),
) -> CastMember {
    CastMember {
        first,
        last,
        culture,
        circle,
        tier,
        life,
        home,
        zone,
        client,
        title,
        boost,
    }
}

/// My closest ties, one that fades and two that are new; the rest of the world is drawn.
/// Fields: (first, last, culture), (circle, tier, life), home, zone, mail client,
/// (title, how much more or less than others of their tier they write).
#[rustfmt::skip]
pub(super) const CAST: &[CastMember] = &[
    cast(("Priya", "Raman", 10), (Circle::Team, Tier::Close, Life::Steady),
        Home::Org(0), Europe::London, MailClient::Gmail, ("Director of Product", 1.2)),
    cast(("Jonas", "Becker", 2), (Circle::Team, Tier::Close, Life::Steady),
        Home::Org(0), Europe::Berlin, MailClient::Apple, ("Staff Engineer", 1.0)),
    cast(("Tomás", "Ortega", 5), (Circle::Team, Tier::Close, Life::Fading),
        Home::Org(0), Europe::Madrid, MailClient::Gmail, ("Engineering Lead", 1.0)),
    cast(("Léa", "Fontaine", 4), (Circle::Team, Tier::Middle, Life::Steady),
        Home::Org(0), Europe::Paris, MailClient::Gmail, ("Product Designer", 1.0)),
    cast(("Wei", "Chen", 11), (Circle::Team, Tier::Middle, Life::Steady),
        Home::Org(0), Asia::Singapore, MailClient::Plain, ("Data Scientist", 1.0)),
    cast(("Jürgen", "Müller", 2), (Circle::Colleague, Tier::Middle, Life::Steady),
        Home::Org(0), Europe::Berlin, MailClient::Outlook, ("Head of Finance", 1.0)),
    cast(("Daniel", "Okafor", 14), (Circle::Family, Tier::Close, Life::Steady),
        Home::Freemail("gmail.com"), Europe::Berlin, MailClient::Apple, ("", 1.6)),
    cast(("Birgitta", "Lindqvist", 3), (Circle::Family, Tier::Close, Life::Steady),
        Home::Freemail("yahoo.com"), Europe::Stockholm, MailClient::HtmlOnly, ("", 0.45)),
    cast(("Elin", "Lindqvist", 3), (Circle::Family, Tier::Middle, Life::Steady),
        Home::Freemail("gmail.com"), Europe::Stockholm, MailClient::Gmail, ("", 1.0)),
    cast(("Sofia", "Moretti", 7), (Circle::Friend, Tier::Close, Life::Steady),
        Home::Freemail("gmail.com"), Europe::Berlin, MailClient::Gmail, ("", 1.0)),
    cast(("Hannah", "Schäfer", 2), (Circle::Friend, Tier::Middle, Life::Fading),
        Home::Freemail("outlook.com"), Europe::Berlin, MailClient::Outlook, ("", 1.0)),
    cast(("Marcus", "Webb", 0), (Circle::Client, Tier::Close, Life::Steady),
        Home::Org(1), America::Los_Angeles, MailClient::Outlook, ("VP Operations", 1.0)),
    cast(("Ingrid", "van Dijk", 9), (Circle::Client, Tier::Middle, Life::Steady),
        Home::Regional(1), Europe::Amsterdam, MailClient::Outlook, ("Regional IT Lead", 1.0)),
    cast(("Rafael", "Souza", 6), (Circle::Client, Tier::Middle, Life::New),
        Home::Org(1), America::Sao_Paulo, MailClient::Gmail, ("Program Manager", 1.0)),
    cast(("Kwame", "Mensah", 14), (Circle::Partner, Tier::Middle, Life::New),
        Home::Org(2), Africa::Accra, MailClient::Gmail, ("Partnerships Lead", 1.0)),
];

/// Who introduces the new people of the cast: (new person, introducer), cast positions.
pub(super) const CAST_INTRODUCTIONS: &[(usize, usize)] = &[(13, 11), (14, 0)];

/// Organisations: display name and domain stem. The first three are fixed: my employer,
/// the client (with a regional subdomain) and the partner that rebrands.
pub(super) const ORGS: &[(&str, &str)] = &[
    ("Larkspur Software", "larkspur"),
    ("Northwind Logistics", "northwind"),
    ("Brightwave", "brightwave"),
    ("Aldergrove Health", "aldergrove"),
    ("Bluefin Analytics", "bluefin"),
    ("Cedar & Pine", "cedarpine"),
    ("Driftwood Studio", "driftwood"),
    ("Emberline Energy", "emberline"),
    ("Fernhill Capital", "fernhill"),
    ("Glasshouse Media", "glasshouse"),
    ("Halcyon Clinics", "halcyon"),
    ("Ironbark Security", "ironbark"),
    ("Juniper Freight", "juniperfreight"),
    ("Kettle & Crane", "kettlecrane"),
    ("Lakeshore University", "lakeshore-uni"),
    ("Meridian Works", "meridianworks"),
    ("Nimbus Cloud", "nimbuscloud"),
    ("Oakhaven Foods", "oakhaven"),
    ("Pelican Press", "pelicanpress"),
    ("Quarry Labs", "quarrylabs"),
    ("Riverbend Retail", "riverbend"),
    ("Saltmarsh Robotics", "saltmarsh"),
    ("Tamarack Solar", "tamarack"),
    ("Umber Design", "umber"),
    ("Vantage Point Consulting", "vantagepoint"),
    ("Willowbrook Insurance", "willowbrook"),
    ("Yellowfin Travel", "yellowfin"),
    ("Zephyr Air", "zephyrair"),
    ("Arcadia Robotics", "arcadia"),
    ("Basalt Systems", "basalt"),
    ("Copperleaf Bank", "copperleaf"),
    ("Dovetail Legal", "dovetail-legal"),
    ("Everfield Farms", "everfield"),
    ("Foxglove Pharma", "foxglove"),
    ("Granite Bay Partners", "granitebay"),
    ("Heron & Co", "heronco"),
    ("Indigo Ventures", "indigovc"),
    ("Jasper Talent", "jaspertalent"),
    ("Kiln Ceramics", "kiln"),
    ("Lanternfish Games", "lanternfish"),
    ("Moss & Stone Architects", "mossstone"),
    ("Nettle Recruiting", "nettle"),
    ("Orchard Fund", "orchardfund"),
    ("Pinecrest Schools", "pinecrest"),
    ("Quill Agency", "quillagency"),
    ("Rookery Coffee", "rookery"),
    ("Sablewood Hotels", "sablewood"),
    ("Thistle Foundation", "thistle"),
    ("Upland Outfitters", "upland"),
    ("Verdant Biotech", "verdant"),
    ("Wayfarer Maps", "wayfarer"),
    ("Alpenglow Media", "alpenglow"),
    ("Borealis Data", "borealis"),
    ("Cinderford Steel", "cinderford"),
    ("Dunmore Shipping", "dunmore"),
    ("Eastgate Telecom", "eastgate"),
];

/// The old brand of `ORGS[2]`, used by its people until the rebrand.
pub(super) const OLD_BRAND: &str = "lumenlabs";

/// Word parts for organisations beyond [`ORGS`] in large worlds.
pub(super) const ORG_PARTS: (&[&str], &[&str], &[&str]) = (
    &[
        "Blue", "Silver", "North", "East", "Red", "High", "Clear", "Stone", "Iron", "Gold", "West",
        "Bright",
    ],
    &[
        "field", "gate", "bridge", "point", "works", "wood", "line", "stack", "forge", "harbor",
        "ridge", "brook",
    ],
    &[
        "Systems",
        "Group",
        "Labs",
        "Partners",
        "Studio",
        "Health",
        "Logistics",
        "Foods",
        "Capital",
    ],
);

/// Regional prefixes for organisations with a subdomain per office.
pub(super) const REGIONS: &[&str] = &["eu", "us", "uk", "apac", "de", "mail"];

pub(super) const FREEMAIL: &[(&str, u32)] =
    &[("gmail.com", 60), ("outlook.com", 22), ("yahoo.com", 18)];

pub(super) const TITLES: &[&str] = &[
    "Account Executive",
    "Senior Software Engineer",
    "Head of Partnerships",
    "Procurement Lead",
    "CTO",
    "Operations Manager",
    "Customer Success Manager",
    "Marketing Director",
    "Founder & CEO",
    "Solutions Architect",
    "Talent Partner",
    "Research Scientist",
    "Project Manager",
    "Head of IT",
    "Senior Consultant",
    "Product Manager",
    "Finance Controller",
    "Legal Counsel",
];

/// Slot values. Threads pick one project, document and place and keep them.
pub(super) const PROJECTS: &[&str] = &[
    "Atlas",
    "Beacon",
    "Cobalt",
    "Driftwood",
    "Evergreen",
    "Falcon",
    "Harbor",
    "Juniper",
    "Keystone",
    "Lighthouse",
    "Monsoon",
    "Northstar",
];
pub(super) const DOCS: &[&str] = &[
    "design doc",
    "roadmap",
    "pricing proposal",
    "security review",
    "launch checklist",
    "quarterly report",
    "hiring plan",
    "migration plan",
    "RFC",
    "postmortem",
    "board deck",
    "data retention policy",
];
pub(super) const PLACES: &[&str] = &[
    "Lisbon",
    "Stockholm",
    "Amsterdam",
    "Barcelona",
    "Kyoto",
    "Copenhagen",
    "Vienna",
    "Edinburgh",
    "Porto",
    "Gothenburg",
    "Munich",
    "Montréal",
    "Zürich",
    "Kraków",
];
pub(super) const FOODS: &[&str] = &[
    "kanelbullar",
    "ramen",
    "tapas",
    "dumplings",
    "pho",
    "lasagne",
    "smørrebrød",
    "jollof rice",
    "tacos",
    "curry",
    "crème brûlée",
];
pub(super) const PRODUCTS: &[&str] = &[
    "Nimbus Cloud",
    "SignalDesk",
    "PaperTrail",
    "Quorum CRM",
    "Ledgerly",
    "Sprocket CI",
    "Fathom Analytics",
    "Keyline SSO",
];
pub(super) const ROLES: &[&str] = &[
    "senior backend engineer",
    "product designer",
    "data engineer",
    "engineering manager",
    "solutions architect",
];
pub(super) const TALKS: &[&str] = &[
    "local-first software in practice",
    "what we learned from a hundred postmortems",
    "designing calm notifications",
    "SQLite at the edge",
    "roadmaps that survive contact",
];
pub(super) const BOOKS: &[&str] = &[
    "The Left Hand of Darkness",
    "Piranesi",
    "Klara and the Sun",
    "The Dispossessed",
    "Station Eleven",
    "A Gentleman in Moscow",
];
pub(super) const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
pub(super) const TIMES: &[&str] = &[
    "9:30",
    "10am",
    "11:15",
    "2pm",
    "3:30",
    "4pm",
    "after lunch",
    "end of day",
];
pub(super) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Country calling codes by time zone, for signatures (North America otherwise).
#[rustfmt::skip]
pub(super) const CALLING_CODES: &[(&str, u16)] = &[
    ("Europe/London", 44), ("Europe/Dublin", 353), ("Europe/Berlin", 49), ("Europe/Vienna", 43),
    ("Europe/Zurich", 41), ("Europe/Stockholm", 46), ("Europe/Oslo", 47),
    ("Europe/Copenhagen", 45), ("Europe/Helsinki", 358), ("Europe/Paris", 33),
    ("Europe/Brussels", 32), ("Europe/Madrid", 34), ("Europe/Lisbon", 351), ("Europe/Rome", 39),
    ("Europe/Warsaw", 48), ("Europe/Prague", 420), ("Europe/Amsterdam", 31),
    ("Europe/Istanbul", 90), ("Asia/Kolkata", 91), ("Asia/Shanghai", 86), ("Asia/Singapore", 65),
    ("Asia/Hong_Kong", 852), ("Asia/Taipei", 886), ("Asia/Tokyo", 81), ("Asia/Seoul", 82),
    ("Asia/Dubai", 971), ("Asia/Amman", 962), ("Africa/Cairo", 20), ("Africa/Lagos", 234),
    ("Africa/Accra", 233), ("Africa/Nairobi", 254), ("Asia/Ho_Chi_Minh", 84),
    ("America/Sao_Paulo", 55), ("America/Mexico_City", 52), ("America/Bogota", 57),
    ("America/Argentina/Buenos_Aires", 54), ("Australia/Sydney", 61),
    ("Australia/Melbourne", 61), ("Pacific/Auckland", 64),
];
pub(super) const AMOUNTS: &[&str] = &["€4,800", "$12,500", "€1,250", "£7,900", "$3,400", "€22,000"];
pub(super) const MEETUP: &str = "Berlin Product Circle";

/// Subjects of new threads, by genre (the circle of the person the thread is with).
/// Genres: team, colleague, client, customer, vendor, partner, community, family,
/// friend, cold, acquaintance.
pub(super) const SUBJECTS: [&[&str]; 11] = [
    &[
        "{project}: rollout plan",
        "Review request: {doc}",
        "Quick question about {project}",
        "Notes from {day}'s sync",
        "{project} next steps",
        "On-call handover",
        "Hiring loop for the {role} role",
        "Draft {doc} for {project}",
        "Planning for Q{q}",
        "Can we move our 1:1?",
        "{project} demo prep",
        "Retro notes",
        "Incident follow-up: {project} latency",
    ],
    &[
        "Budget for {project} in Q{q}",
        "Offsite logistics",
        "Access to the {project} dashboard",
        "Feedback on your {doc}",
        "Migration timeline",
        "Expense policy question",
        "Intro to the {project} team",
        "All-hands agenda",
    ],
    &[
        "{org} <> Larkspur: {project} status",
        "Contract renewal",
        "Statement of work, phase {n}",
        "Kickoff agenda for {project}",
        "Feedback on the {doc}",
        "Security questionnaire",
        "Workshop in {place}",
        "Go-live checklist",
        "Quarterly business review",
    ],
    &[
        "Invoice {inv}",
        "Pricing for next year",
        "{project} pilot results",
        "Support for the {org} rollout",
        "Questions about the {doc}",
        "Renewal and additional seats",
    ],
    &[
        "Your {product} renewal",
        "Quote for {n} additional seats",
        "{product} onboarding",
        "Support case {inv}",
        "Follow-up from our call",
        "Updated pricing",
    ],
    &[
        "Co-marketing idea",
        "Joint webinar in {month}",
        "Integration with {product}",
        "Partner program update",
        "Referral: {org}",
        "Partner dinner in {place}",
    ],
    &[
        "{meetup} meetup in {month}",
        "Talk proposal: {talk}",
        "Slides from last night",
        "Volunteers for {month}",
        "Venue for the next meetup",
        "Call for speakers",
    ],
    &[
        "Middag på söndag?",
        "Grattis på födelsedagen! 🎉",
        "Photos from {place}",
        "Flights for {month}",
        "Mamma's birthday",
        "Christmas plans",
        "Summer house in {month}",
        "Recipe for the {food}",
        "Call this weekend?",
    ],
    &[
        "Dinner {day}?",
        "Photos from {place}",
        "Weekend in {place}",
        "Book club: {book}",
        "Climbing on {day}?",
        "Concert tickets",
        "Housewarming party 🎉",
        "Long time no see!",
        "Grüße aus München",
        "Déjeuner jeudi ?",
        "¿Cena el viernes?",
    ],
    &[
        "Quick intro — {product}",
        "Opportunity at {org}",
        "Following up on my last email",
        "15 minutes next week?",
        "Exploring a {role} role",
        "Can {product} help Larkspur?",
    ],
    &[
        "Question about your talk",
        "Hello from {place}",
        "Coffee next time you're in {place}?",
        "Your article on {project}",
        "Checking in",
        "Alumni dinner in {month}",
        "A small favour",
    ],
];

/// Sentences for paragraphs, by genre (same order as [`SUBJECTS`]).
pub(super) const SENTENCES: [&[&str]; 11] = [
    &[
        "I went through the {doc} for {project} and left comments on the parts that still feel vague.",
        "The main open question is whether we ship {project} behind a flag first or go straight to everyone.",
        "{colleague} ran the numbers again and the latency regression is smaller than we feared, around {n} percent.",
        "From what I can tell, the migration is blocked on the schema change, not on the client work.",
        "Can we keep the scope to what we agreed on {day}? Anything else can go into the next cycle.",
        "I moved the review to {day} at {time} so that {colleague} can join.",
        "The dashboard is up again; the alert fired because of a stale cache, not real traffic.",
        "We should write the decision down in the {doc} so nobody has to reconstruct it from chat.",
        "I am a bit worried about the timeline, since two people are out in {month}.",
        "Let's split the work: I take the rollout plan and the customer comms, you take the metrics.",
        "Thanks for covering on-call last week, the handover notes were really clear.",
        "The hiring loop for the {role} role has three candidates left, and {colleague} likes the second one best.",
        "There are {n} open tickets tagged {project}; most of them are small and could be closed this week.",
        "We agreed to freeze the API on {day} and spend the rest of the sprint on tests.",
        "The retro was useful: fewer meetings, clearer owners, and no surprise deadlines.",
        "I'd rather not promise a date to the customer until the load test is done.",
        "{colleague} will demo {project} at the all-hands, so we need the staging data cleaned up by {day}.",
        "From my side the design is fine; the only thing I'd change is the empty state.",
        "I've shared the draft in the team folder, comments are welcome until {day}.",
        "Let's keep an eye on error rates for a week before we remove the old code path.",
    ],
    &[
        "I talked to finance and the budget for {project} is approved through Q{q}.",
        "For the offsite, {place} is still the favourite, but the flights in {month} are expensive.",
        "Please double-check the numbers in the third table, they do not add up to the total.",
        "Could you add the risks section before we send it to leadership?",
        "The expense policy changed in {month}, so travel now needs approval two weeks ahead.",
        "I've added you to the {project} channel so you can follow the rollout directly.",
        "We are consolidating the reporting tools, and {product} is the one we are keeping.",
        "The all-hands moves to {day} because half of the leadership team is travelling.",
        "{colleague} mentioned you know the billing system well, so I hope you don't mind the question.",
        "The audit is in {month}, and they will want to see the {doc} as it was approved.",
    ],
    &[
        "As discussed on our call, we would like to move the go-live for {project} to early {month}.",
        "Our legal team has a few comments on the statement of work, attached in the usual format.",
        "The pilot went well overall, and the warehouse team especially liked the new reports.",
        "We had a short outage on {day} around {time}, and I would appreciate a written summary of what happened.",
        "Please find the signed contract in the portal; let me know once it is countersigned.",
        "Our procurement process needs the security questionnaire back before the end of {month}.",
        "I would like to set up a workshop in {place} with our regional managers.",
        "Thank you for the quick turnaround on the fixes, the feedback from the users has been very positive.",
        "For the quarterly review, could your team prepare usage figures and the roadmap for the next two quarters?",
        "We are evaluating whether to extend the contract to our European entities.",
        "From our perspective the priority is stability, new features can wait until after the peak season.",
        "I have looped in our IT lead, who will handle the single sign-on setup on our end.",
        "It would help if the {doc} had a short executive summary at the top.",
    ],
    &[
        "Could you send us an updated quote that includes the {n} additional seats?",
        "The invoice {inv} is still marked as open on our side, can you check whether it was received?",
        "Our budget for next year is being finalised now, so timing matters.",
        "The {project} pilot reached {n}0 daily users in the second week, more than we planned for.",
        "Our team would like a short training session before the wider rollout in {month}.",
        "We need the data processing agreement signed before we can add the second site.",
        "The reports are exactly what our managers asked for, thank you.",
        "Could we get read-only access for our auditors until the end of {month}?",
    ],
    &[
        "Your {product} subscription renews at the end of {month}.",
        "I've attached the updated pricing for the annual plan, which includes priority support.",
        "Following our call, here is a summary of the onboarding steps for {product}.",
        "Our support team has escalated case {inv} and an engineer will reach out today.",
        "We can offer a discount of {n} percent if the contract is signed before the end of the quarter.",
        "Let me know which of your colleagues should get admin access to {product}.",
        "We are rolling out a new version of {product} next month; nothing changes for your team.",
        "The invoice for {amount} is attached; payment terms are thirty days.",
        "Happy to set up a short training session for your team whenever it suits you.",
        "I wanted to make sure you saw the release notes, the export feature you asked for is live.",
    ],
    &[
        "We think there is a natural fit between {product} and what your team is building.",
        "Would you be open to a joint webinar in {month}? We could share the stage with a customer.",
        "Our partner program has a new tier that includes co-marketing funds.",
        "The integration is live in our sandbox, so your team should be able to test it this week.",
        "I met someone from {org} at a conference in {place} who might be a great customer for both of us.",
        "Let's align on the messaging before either of us announces anything publicly.",
        "Our engineers had a few questions about rate limits on your API.",
        "The referral from last quarter turned into a signed deal, thank you for that.",
        "We are planning a small partner dinner in {place} and would love for you to join.",
        "Could you share a logo and a short description for the partner page?",
    ],
    &[
        "The next {meetup} meetup is planned for {month}, and we still need one more speaker.",
        "Would you be up for a short talk, maybe twenty minutes on {talk}?",
        "Thanks again for hosting last time, people loved the venue.",
        "We had about {n}0 people at the last event, which is a record.",
        "The slides and the recording are now online; I'll share the links in the group.",
        "We are looking for volunteers to help with registration and the snacks.",
        "A company from {place} offered to sponsor the pizza for the next two events.",
        "I'm putting together the schedule, could you send me a title and a two-line abstract?",
    ],
    &[
        "Pappa finally fixed the boat, so we can go out on the lake when you visit.",
        "Did you get the package? I sent it on {day}, with the {food} you like.",
        "We are thinking about the summer house in {month}, the first two weeks look good for everyone.",
        "Elin says the kids have grown so much, you will not recognise them.",
        "I found the old photos from {place}, I will scan them and send them over.",
        "The flights from Berlin to Göteborg are cheaper if you book this week.",
        "Remember to call farmor on Sunday, she asked about you.",
        "We had fika with the neighbours and they asked how work is going.",
        "It has been snowing all week here, the garden looks beautiful.",
        "Can you bring the recipe for the {food}? Daniel's version was so good.",
        "I booked the table for Saturday at seven, the place near the harbour.",
        "Don't work too hard, älskling.",
    ],
    &[
        "Are you free on {day}? There's a new place near the canal that does great {food}.",
        "The photos from {place} finally came back from the lab, and some of them are actually good.",
        "I'm in Berlin for a conference in {month}, would love to catch up.",
        "We're doing a small housewarming on Saturday, bring whoever you want.",
        "I finished {book} and now I need someone to talk to about the ending.",
        "Climbing on {day} evening? The new routes at the hall are supposed to be fun.",
        "Sorry I went quiet, work has been a lot lately.",
        "Let's plan the trip to {place} properly this time, with an actual spreadsheet.",
        "I got us tickets for the concert in {month}, you owe me a drink.",
        "How is the new flat? Send pictures when the boxes are gone.",
        "From next week I'm back in the office, so lunch is finally possible again.",
        "{friend} says hi, by the way, and wants to know when you're coming to the next game night.",
    ],
    &[
        "I lead partnerships at {org}, and we help teams like yours cut reporting time in half.",
        "I'm reaching out because Larkspur is growing fast and hiring is usually the bottleneck.",
        "We work with several companies in your space, including a few you probably know.",
        "Would you have fifteen minutes next week for a quick call?",
        "Just floating this back to the top of your inbox in case it got buried.",
        "I have a {role} opportunity that matches your background really well.",
        "Our platform integrates with {product} out of the box.",
        "If this is not a priority right now, just let me know and I will stop following up.",
    ],
    &[
        "We met at the conference in {place} last year, I was the one asking about offline sync.",
        "I read your post about {project} and had a question about how you handled the migration.",
        "A friend of mine is moving to Berlin and looking for advice on product roles.",
        "Next time you're in {place}, let me know and we'll grab a coffee.",
        "The alumni dinner is planned for {month}, it would be great to see you there.",
        "I'm putting together a small panel on product management and thought of you.",
        "Thanks for the advice last time, it really helped me decide.",
        "No rush at all, whenever you have a moment.",
    ],
];

/// Sentences that fit any work thread, and any personal one.
pub(super) const WORK_FILLER: &[&str] = &[
    "I'll update the tracker once we have agreed on the details.",
    "Happy to jump on a call if that is easier than going back and forth here.",
    "Let me know if I missed anything from the notes.",
    "I'm out on {day} afternoon, but I can look at it first thing the next morning.",
    "The deadline is not hard, but it would be good to close this before {month}.",
    "I've put the details in the shared folder so we all look at the same version.",
    "Nothing urgent, just wanted to get it on your radar.",
    "{colleague} has more context on this part, so I've copied them in the doc comments.",
];
pub(super) const HOME_FILLER: &[&str] = &[
    "Everything is fine here, just busy as always.",
    "The weather has been lovely, we were outside all weekend.",
    "Daniel says hi!",
    "I'll call you when I'm back home.",
    "Give everyone a hug from me.",
];

/// How someone starts a second message before the first got an answer.
pub(super) const FOLLOW_UPS: &[&str] = &[
    "One more thing I forgot:",
    "Quick follow-up on my last message.",
    "Just bumping this in case it got buried.",
    "Also, before I forget:",
];
pub(super) const WORK_OPENERS: &[&str] = &[
    "Thanks for the quick reply.",
    "Thanks, that's helpful.",
    "Makes sense to me.",
    "Good catch, I missed that.",
    "Sorry for the slow reply, this week got away from me.",
    "Agreed on most of it; a few notes below.",
    "Great, thanks for pulling this together.",
    "Short answer: yes.",
    "I checked with {colleague} and we're fine with that.",
    "Thanks for flagging.",
    "Following up on the thread below.",
];
pub(super) const HOME_OPENERS: &[&str] = &[
    "Haha, yes!",
    "Oh that sounds lovely.",
    "So good to hear from you!",
    "Sorry, just seeing this now.",
    "Yes please!",
    "Aww, thank you!",
];
pub(super) const SHORT_LINES: &[&str] = &[
    "Thanks!",
    "Sounds good.",
    "Perfect, thank you.",
    "Will do.",
    "See you then!",
    "Got it, thanks.",
    "Done.",
    "Yes, that works for me.",
    "Thanks, looks good to me.",
    "Great news!",
    "On it.",
    "Noted, thanks.",
    "Works for me 👍",
    "Tack!",
    "Let's do it.",
    "Sure, {time} works.",
    "Approved.",
    "Can't make it, sorry!",
    "Call you later.",
];
pub(super) const WORK_QUESTIONS: &[&str] = &[
    "Does that work for you?",
    "Can you take a look before {day}?",
    "Any objections if we go ahead?",
    "What do you think?",
    "Could you confirm by {day}?",
    "Do you have time for a quick call this week?",
    "Can you send me the latest numbers?",
    "Who should own this on your side?",
];
pub(super) const HOME_QUESTIONS: &[&str] = &[
    "Are you free this weekend?",
    "What do you think?",
    "Shall I book it?",
    "When are you back?",
    "Do you want to come along?",
    "Can you call me tonight?",
];
pub(super) const WORK_GREETINGS: &[&str] =
    &["Hi {first},", "Hello {first},", "{first},", "Hi {first},"];
pub(super) const FORMAL_GREETINGS: &[&str] =
    &["Dear {first},", "Hello {first},", "Good morning {first},"];
pub(super) const HOME_GREETINGS: &[&str] =
    &["Hey {first}!", "Hi {first},", "{first}!", "Hej {first}!"];
pub(super) const GROUP_GREETINGS: &[&str] =
    &["Hi all,", "Hi team,", "Hello everyone,", "Hej allihop!"];
pub(super) const WORK_CLOSINGS: &[&str] = &[
    "Best,",
    "Thanks,",
    "Cheers,",
    "Best regards,",
    "Thanks!",
    "Kind regards,",
];
pub(super) const HOME_CLOSINGS: &[&str] = &["Love,", "x", "Kram,", "See you soon,", "Hugs,"];

/// Introductions: what the introducer writes (of someone with an organisation, or of a
/// friend), my reply, and the new person's answer.
pub(super) const INTRO_LINES: [&str; 4] = [
    "I'd like to introduce you to {new}, who just joined {neworg} as {newtitle}. {newfirst}, {me} leads product at Larkspur and is the best person to talk to about {project}. I'll let you two take it from here.",
    "I'd like you to meet {new}, an old friend of mine who just moved to Berlin. {newfirst}, {me} is the one I told you about, she knows everyone in the product scene here. I'll let you two take it from here.",
    "Thanks so much for the introduction, {introducer} (moving you to bcc). {newfirst}, great to meet you! I'd love to find half an hour in the next couple of weeks to hear what you are working on.",
    "Thank you {introducer}, and great to e-meet you, {me}. I'm mostly free on {day} and {day} afternoon, would either of those work for a call?",
];

/// A newsletter or notification sender. `newsletter` ones carry List-Id and
/// List-Unsubscribe; the others are no-reply notifications.
pub(super) struct Bulk {
    pub name: &'static str,
    pub address: &'static str,
    pub zone: Tz,
    pub hour: u32,
    pub newsletter: bool,
    pub label: &'static str,
    pub weight: u32,
    pub subjects: &'static [&'static str],
    pub lines: &'static [&'static str],
}

pub(super) const BULK: &[Bulk] = &[
    Bulk {
        name: "The Morning Brief",
        address: "newsletter@morningbrief.example",
        zone: America::New_York,
        hour: 6,
        newsletter: true,
        label: "Category Updates",
        weight: 30,
        subjects: &[
            "The Morning Brief: {headline}",
            "Your {day} briefing",
            "{headline} — and more",
        ],
        lines: &[],
    },
    Bulk {
        name: "Product Notes",
        address: "hello@productnotes.example",
        zone: Europe::London,
        hour: 8,
        newsletter: true,
        label: "Category Updates",
        weight: 8,
        subjects: &[
            "Product Notes #{inv}: {headline}",
            "This week in product: {headline}",
        ],
        lines: &[],
    },
    Bulk {
        name: "Upland Outfitters",
        address: "deals@news.upland.example",
        zone: America::Denver,
        hour: 10,
        newsletter: true,
        label: "Category Promotions",
        weight: 12,
        subjects: &[
            "Up to {n}0% off everything this weekend",
            "New arrivals for {month}",
            "Your member offer ends {day}",
        ],
        lines: &[],
    },
    Bulk {
        name: "Sablewood Hotels",
        address: "offers@email.sablewood.example",
        zone: Europe::Paris,
        hour: 11,
        newsletter: true,
        label: "Category Promotions",
        weight: 6,
        subjects: &[
            "Weekend in {place} from €{n}9",
            "Members save {n}0% in {month}",
        ],
        lines: &[],
    },
    Bulk {
        name: "Berlin Product Circle",
        address: "announce@lists.productcircle.example",
        zone: Europe::Berlin,
        hour: 18,
        newsletter: true,
        label: "Category Forums",
        weight: 4,
        subjects: &["[BPC] {month} meetup: {talk}", "[BPC] Call for speakers"],
        lines: &[],
    },
    Bulk {
        name: "Rust Digest",
        address: "digest@rustdigest.example",
        zone: Europe::Amsterdam,
        hour: 7,
        newsletter: true,
        label: "Category Updates",
        weight: 5,
        subjects: &["Rust Digest {inv}: {headline}"],
        lines: &[],
    },
    Bulk {
        name: "CodeHub",
        address: "notifications@codehub.example",
        zone: America::Los_Angeles,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 30,
        subjects: &[
            "[larkspur/{repo}] {pr} (#{inv})",
            "Re: [larkspur/{repo}] {pr} (#{inv})",
        ],
        lines: &[
            "{colleague} requested your review on this pull request.",
            "{colleague} commented: \"Looks good overall, one question about the retry logic.\"",
            "{colleague} approved these changes.",
            "Merged #{inv} into main.",
        ],
    },
    Bulk {
        name: "TicketDesk",
        address: "no-reply@ticketdesk.example",
        zone: Europe::Dublin,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 10,
        subjects: &[
            "[TD-{inv}] {project}: status changed to In Review",
            "[TD-{inv}] You were mentioned by {colleague}",
        ],
        lines: &[
            "{colleague} changed the status to In Review.",
            "{colleague} mentioned you in a comment on {project}.",
        ],
    },
    Bulk {
        name: "Larkspur Expenses",
        address: "no-reply@expenses.larkspur.example",
        zone: Europe::Berlin,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 3,
        subjects: &[
            "Your expense report {inv} was approved",
            "Reminder: receipts missing for {month}",
        ],
        lines: &[
            "Jürgen Müller approved your report. Reimbursement follows with the next payroll.",
            "Please upload the missing receipts by {day}.",
        ],
    },
    Bulk {
        name: "Copperleaf Bank",
        address: "no-reply@alerts.copperleaf.example",
        zone: Europe::Berlin,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 5,
        subjects: &[
            "Your statement for {month} is ready",
            "Card payment of {amount}",
        ],
        lines: &[
            "Your monthly statement is available in online banking.",
            "A card payment of {amount} was made. If this was not you, contact us.",
        ],
    },
    Bulk {
        name: "Zephyr Air",
        address: "no-reply@booking.zephyrair.example",
        zone: Europe::Berlin,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 2,
        subjects: &[
            "Booking confirmation: Berlin – {place}",
            "Check-in is open for your flight to {place}",
        ],
        lines: &[
            "Your booking reference is ZX{inv}.",
            "Online check-in closes two hours before departure.",
        ],
    },
    Bulk {
        name: "DocShare",
        address: "drive-shares-noreply@docshare.example",
        zone: America::New_York,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 6,
        subjects: &[
            "{colleague} shared \"{project} {doc}\" with you",
            "{colleague} mentioned you in \"{project} {doc}\"",
        ],
        lines: &[
            "{colleague} has invited you to edit the following document.",
            "{colleague} left a comment and assigned it to you.",
        ],
    },
    Bulk {
        name: "Nimbus Cloud Status",
        address: "status@nimbuscloud.example",
        zone: America::Chicago,
        hour: 0,
        newsletter: false,
        label: "Category Updates",
        weight: 3,
        subjects: &[
            "[Resolved] Elevated error rates in eu-central",
            "[Monitoring] Degraded performance for object storage",
        ],
        lines: &[
            "The issue has been resolved and all systems are operating normally.",
            "We are monitoring the fix.",
        ],
    },
];

pub(super) const HEADLINES: &[&str] = &[
    "{n} lessons from shipping local-first apps",
    "Why {place} is the new hub for climate startups",
    "The state of remote work in {month}",
    "{product} raises prices again",
    "Interview: the team behind {product}",
    "A practical guide to calmer on-call",
    "The quiet comeback of email",
    "Weekend reading: {book}",
    "Five charts on the housing market",
    "What the new EU rules mean for small teams",
    "How {place} rebuilt its tram network",
    "The case for boring technology",
];
pub(super) const NEWS_SENTENCES: &[&str] = &[
    "Analysts expect the trend to continue well into next year, though the picture varies by region.",
    "The numbers are smaller than the headlines suggest, but the direction is clear.",
    "We spoke to {n} founders about what they would do differently, and the answers were surprisingly consistent.",
    "Critics argue that the change favours large incumbents over newcomers.",
    "A new report from {place} puts the figure at nearly twice last year's estimate.",
    "The full interview is on our site, together with a transcript and a short reading list.",
    "Readers wrote in with their own examples; we have collected the best of them below.",
    "It is a reminder that most of the cost sits in maintenance, not in the first release.",
    "The proposal goes to a vote in {month}, and the outcome is far from certain.",
    "Our pick this week is a long read about the people who keep old systems running.",
];
pub(super) const PR_TITLES: &[&str] = &[
    "Fix retry backoff in sync worker",
    "Add metrics for import throughput",
    "Bump dependencies",
    "Refactor settings page",
    "Handle empty calendars",
    "Speed up search indexing",
];

/// Meetings, by genre: summary templates.
pub(super) const MEETINGS: [&[&str]; 11] = [
    &[
        "{project} planning",
        "Sprint review",
        "Design review: {doc}",
        "{project} standup",
    ],
    &["{project} sync", "Budget check-in", "Coffee chat"],
    &[
        "{org} / Larkspur: {project} check-in",
        "{project} steering committee",
        "QBR with {org}",
    ],
    &["Call: {org} and Larkspur", "{project} pilot review"],
    &["{product} demo", "Renewal call"],
    &["Partnership sync with {org}", "Integration walkthrough"],
    &["{meetup} meetup", "Speaker prep call"],
    &["Dinner at Mamma's", "Family video call", "Birthday dinner"],
    &[
        "Dinner with {first}",
        "Climbing",
        "Coffee with {first}",
        "Book club",
    ],
    &["Intro call: {first} / Maya"],
    &["Coffee with {first}", "Intro call: {first} / Maya"],
];
pub(super) const ROOMS: &[&str] = &[
    "Larkspur Berlin, Room Tempelhof",
    "Larkspur Berlin, Room Spree",
    "https://meet.example/xkv-prqa-mdt",
    "https://meet.example/hwb-tzqe-kno",
    "Café Einstein, Kurfürstenstraße",
    "Zoom: https://zoom.example/j/5550112",
];
