package train

// Templates of synthetic documents, written for Veil. Slots are described
// at doc.render; "_" joins words of one list entry and becomes a space.

var noteHeaders = []string{
	"NURSING PROGRESS NOTE 7P-7A", "Nursing note {date}", "MICU nsg note", "CCU NPN 0700-1900",
	"Respiratory care note:", "NEONATOLOGY ATTENDING NOTE", "Event note:", "Admission note {date}",
	"SICU nursing progress note", "Addendum:",
}

// noteClinical is what nursing notes are mostly made of: no names.
var noteClinical = []string{
	"neuro: a+ox3, mae, follows commands, perrla.", "NEURO: LETHARGIC BUT AROUSABLE TO VOICE, MAE WEAKLY.",
	"CV: NSR {n}-{nn}s no ectopy, BP {nn}/{n}.", "cv: hr {n}-{n} sr, sbp {nn}s, k {n}.{n} repleted with 40meq kcl.",
	"resp: ls clear bilat, diminished at bases. on {n}L nc, sats {n}-{nn}%.", "RESP: LS COARSE, SX FOR THICK TAN SPUTUM.",
	"GI: abd soft, nt/nd, +bs. tolerating tube feeds at {n}cc/hr.", "GU: foley draining clear yellow urine {n}-{nn}cc/hr.",
	"ID: tmax {n}.{n}, on {drug} and {drug}.", "skin: intact, {eponym} line site c/d/i.", "heme: hct {n}.{n}, plt {nn}.",
	"endo: ss insulin per protocol, bs {nn}.", "pain: c/o incisional pain, medicated with {drug} {n}mg iv with good effect.",
	"started on {drug} gtt at {n}mcg/kg/min, titrated to map >{n}.", "{drug} {nn}u/hr, ptt {n}.",
	"given {drug} {n}mg po x1.", "pt remains on {drug}, plan to wean as tolerated.", "lasix {n}mg iv given with good diuresis.",
	"A/P: continue to monitor hemodynamics, wean vent as tol.", "PLAN: MONITOR LYTES, REPLETE AS NEEDED, F/U CXR.",
	"plan: extubate in am if abg ok.", "Assessment: stable overnight, no acute events.", "Social: pt married, lives with family.",
	"Code status: full code.", "DNR/DNI per family discussion.", "ABG {n}.{n}/{n}/{nn}/{n}.", "vent settings: ac {nn}x{n}, peep {n}, fio2 {n}%.",
	"{eponym} catheter in place, CI {n}.{n}.", "pt turned q2h, skin care given.", "Bowel regimen started.", "Cultures sent x2.",
	"awaiting echo and ct head results.", "tol clears, advance diet as tol.", "Sedated on {drug} and {drug}, RASS -{n}.",
	"received pt from OR at {n}:{n}.", "o2 sat dropped to {n}% with suctioning, recovered quickly.", "Family in to visit, updated on plan of care.",
	"mult family members in to visit this evening.", "pt anxious, reassured, {drug} {n}mg given.", "INR {n}.{n}, {drug} held tonight.",
	"CXR: ?LLL infiltrate.", "h/o cabg, chf, dm2, copd.", "pmh: htn, hyperlipidemia, afib on {drug}.", "{eponym} sign negative.",
	"Glasgow coma scale {n}.", "wt {nn}kg, i/o +{nn}cc.", "NPO after midnight for procedure.", "Chaplain in to see pt.",
	"Physical therapy consult placed.", "{salad}", "{salad}.", "{salad}", "{salad}. {salad}", "{salad}: {salad}", "{salad}\n{salad}",
	"{salad} per HO.", "{salad}, MD aware.", "{salad} {init}.", "S/O: {salad}", "A: {salad} P: {salad}", "{init} {salad}", "Case management following for dispo.", "pt transferred to floor in stable condition.",
	"MICU team aware of low uo.", "Team aware, will follow.", "ICU resident notified of sbp {n}.", "Ortho and surgery following.",
}

// noteNames are lines of notes with names, places and dates.
var noteNames = []string{
	"pt's wife {first} called, updated.", "daughter {first} in to visit, questions answered.", "son {fl} is HCP, phone in chart.",
	"Dr. {last} aware of low uo.", "dr {last} notified, no new orders.", "d/w {last} NP, will cont to monitor.", "seen by {per} from renal.",
	"case discussed with dr. {last} and team.", "{first} from social work spoke with family.", "RN: {first}", "Attending: Dr. {per}",
	"husband {first} {last} called at {n}:{n}, will visit tomorrow.", "pt's sister {first} at bedside.", "HCP: {per} (daughter)",
	"pt lives with wife in {city}.", "pt from {city}, retired teacher.", "transferred from {hosp} on {date}.", "transfer to {hosp} for rehab.",
	"pt admitted {date} with cp.", "seen at {hosp} last week.", "plan to d/c to {hosp} when bed available.", "pcp is dr {last} in {city}.",
	"pt works for {org}.", "{first} (friend) called for update.", "cardiology fellow {last} in to see pt.", "Pt's mother {first} {last} visited.",
	"spoke with {per}, pt's niece.", "{last} family in to visit.", "reached {first} at home, aware of change in status.", "code status d/w {fl}.",
	"pt was in {ward} prior to transfer.", "came from {acro} ER by ambulance.", "pt lives at {street}, {city}.", "PCP: {per}, {hosp}.",
	"Dr {last}/Dr {last} to see pt in am.", "ID consult ({last}) recommends {drug}.", "discussed with {first} (RN on days).",
	"surgery done {date} at {hosp}.", "{init}. {last} aware.", "DR {last} AWARE, {salad}.", "per dr {last} {salad}.", "{salad} per {init}. {last}.",
	"MR {last} {salad}.", "Mrs. {last} stated {salad}.", "wife, {first}, {salad}.", "{salad}; dr {last} aware.", "called out to {ward}.",
	"transfer to {ward} today.", "{salad}, transfer to {acro} ER.", "admitted to {acro} {date}.", "{salad} {first} {salad}.",
	"spoke with dr {last} and dr {last}.", "only able to reach {first}.", "significant other {first} visited.", "{salad} (dr {last} aware).",
	"{init}. {last} PA aware.", "{last} NP in to see pt.", "{salad} in {city}.", "son in {city} called.", "{salad} per {last}.", "last seen {date}.", "pt's daughter {first} will be in on {date}.", "{fl} NP aware.",
}

var drugs = []string{"heparin", "lasix", "Lasix", "vanco", "zosyn", "flagyl", "levophed", "dopamine", "dobutamine", "propofol", "fentanyl",
	"versed", "ativan", "Ativan", "haldol", "morphine", "dilaudid", "tylenol", "Tylenol", "coumadin", "Coumadin", "amiodarone", "diltiazem",
	"lopressor", "captopril", "insulin", "kcl", "magnesium", "protonix", "pepcid", "milrinone", "nitro", "neo", "vasopressin", "gemfibrozil",
	"lipitor", "plavix", "Plavix", "aspirin", "ceftriaxone", "cipro", "levaquin", "solumedrol", "prednisone", "albuterol", "atrovent",
	"precedex", "nimbex", "integrilin", "reopro", "lovenox", "colace", "senna", "dulcolax", "zofran", "reglan", "ambien", "seroquel"}

var eponyms = []string{"Swan-Ganz", "Foley", "Hickman", "PICC", "Murphy's", "Babinski", "Trendelenburg", "Cheyne-Stokes", "Parkinson's",
	"Alzheimer's", "Hodgkin's", "Doppler", "Glasgow", "Whipple", "Nissen", "Dobhoff", "Groshong", "Quinton", "Levine"}

var nationalBodies = []string{"the Court", "the Government", "the Supreme Court", "the Constitutional Court", "the Ministry of Justice",
	"the European Court of Human Rights", "the Commission", "the Prosecutor General", "the Court of Cassation", "the Parliament",
	"the Ministry of the Interior", "the Grand Chamber", "the Registry", "the State", "the Federal Court"}

var courtLines = []string{
	"The applicant, Mr {fl}, is a national who was born in {year} and lives in {city}.",
	"The applicant, Ms {fl}, was born in {year} and lives in {city}.", "On {date} the applicant was arrested by officers of the {court}.",
	"On {date} the {court} dismissed the appeal.", "The case originated in an application against the State lodged with {body} on {date}.",
	"The applicant was represented by {per}, a lawyer practising in {city}.", "{body} delivered its judgment on {date}.",
	"The applicant's brother, {fl}, was questioned as a witness.", "According to the applicant, officer {last} hit him.",
	"On {date} {body} examined the case.", "The applicant complained under Article {n} of the Convention.",
	"The hearing took place on {date} before {body}.", "The applicant worked for {org} until {year}.",
	"She was treated at {hosp} from {date} to {date}.", "Judge {fl} presided.", "Mr {last} lodged an appeal with the {court}.",
	"The Government were represented by their Agent, {per}.", "{body} found no violation.", "The {court} sentenced {fl} to five years.",
	"The applicant's mother, Mrs {last}, lived at {street} in {city}.", "The witness {per} stated that she had seen the applicant in {city}.",
	"The applicant moved to {city} in {year}.", "No hearing was held before {body}.", "The decision was served on {date}.",
}

var letterLines = []string{
	"Dear Dr. {last},", "Dear Ms {last},", "Dear {first},", "Re: {per}, DOB {date}", "Sincerely,\n{per}", "Yours faithfully,\n{fl}",
	"I am writing on behalf of my client, {fl}, regarding the incident on {date}.", "Thank you for referring {per} to our clinic at {hosp}.",
	"{first} was seen in the clinic on {date} with her husband {first}.", "Please contact {per} at {org} with any questions.",
	"I saw {fl} today in follow-up.", "cc: {per}, {org}", "{street}\n{city}", "We met at our office in {city} on {date}.",
	"Her daughter {fl} attended the appointment.", "He has been employed by {org} since {year}.", "Kind regards, {first}",
}

var formLines = []string{
	"Name: {fl}", "Patient: {per}", "Client name: {fl}", "Date of birth: {date}", "DOB: {date}", "Address: {street}, {city}",
	"Emergency contact: {fl} (sister)", "Next of kin: {per}", "Referred by: Dr. {last}, {hosp}", "Employer: {org}", "School: {org}",
	"Date of intake: {date}", "Clinician: {fl}", "Interpreter: {first} {last}", "Place of birth: {city}", "Primary care: {per}",
	"Reason for referral: low mood, poor sleep.", "Presenting problem: anxiety at work.", "Medications: {drug} {n} mg daily.",
	"Allergies: NKDA", "Insurance: on file", "Guardian: {fl}", "Mother: {fl}", "Father: {per}", "Case worker: {per}",
}

var newsLines = []string{
	"{fl}, a spokesman for {org}, said on Tuesday.", "{city} {date}", "{per} told reporters in {city}.", "Police in {city} arrested {fl}.",
	"{fl} won the race ahead of {fl}.", "Shares in {org} rose after {per} announced the deal.", "{last} said the talks would resume in {city}.",
	"The mayor of {city}, {fl}, opened the bridge.", "{fl} scored twice for {city}.", "Coach {last} praised {first} {last}.",
	"{org} chief executive {fl} resigned on {date}.", "\"We are very pleased,\" said {per}.",
}
