// Package reviewtest builds the 20-document case that measures how long
// a review takes (docs/REVIEW.md, "How long a review takes"): a
// supervision client's file and the court matter she is a witness in,
// as plain text, Markdown, DOCX and PDF. Everyone and everything in it is
// invented for this case.
//
//	go run ./pipeline/review/reviewtest/gen DIR   # writes the 20 files
package reviewtest

import (
	"sort"
	"strings"

	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// Values of the case a review decides about (see Decisions in the tests
// that drive the page).
const (
	Client      = "Teodora Vashti"
	Nickname    = "Dory" // missed by the detectors: added everywhere in the case
	Partner     = "Caspian Hollowell"
	Clinician   = "Anselm Pryce"
	Switchboard = "(971) 555-0100" // the clinic's public number: rejected in the whole case
	Stables     = "Ridgeback Stables"
	Employer    = "Tidewater Freight Lines"
	Plaintiff   = "Ottilie Brandauer"
)

// Case20 returns the files of the case by name: 12 of a supervision
// client's file, 8 of a court matter; 8 text, 6 Markdown, 3 DOCX, 3 PDF.
func Case20() map[string][]byte {
	out := map[string][]byte{}
	for name, text := range texts {
		out[name] = []byte(strings.TrimLeft(text, "\n"))
	}
	out["supervision_notes.docx"] = docx(
		"Group supervision, case of T. Vashti",
		[]string{
			"Presenting clinician: " + Clinician + ", LCSW. Supervisor: Marguerite Dunleavy, PhD.",
			"Client: " + Client + ", 34, works as a farrier at " + Stables + ".",
			"Dory (as her friends call her) lives with " + Partner + " and their daughter Wren Hollowell, 9.",
			"Question for the group: how do we hold the custody stress while she gives evidence for " + Plaintiff + "?",
		}, "Prepared by "+Clinician, "Marguerite Dunleavy")
	out["case_consultation.docx"] = docx(
		"Peer consultation",
		[]string{
			"Consultant: Dr. Ignatius Ferreby. Requested by " + Clinician + ".",
			"The client, " + Client + " (DOB 11/02/1990), reports nightmares since the accident on 09/14/2023.",
			"Her employer, " + Employer + ", offered a transfer to the Astoria depot.",
			"Reach the consultant's office through the switchboard " + Switchboard + ".",
		}, "Briarwood Counseling Center", "Ignatius Ferreby")
	out["affidavit_of_caspian_hollowell.docx"] = docx(
		"AFFIDAVIT OF CASPIAN HOLLOWELL",
		[]string{
			"I, " + Partner + ", of 2207 Sorrel Lane, Hillsboro, OR 97123, state under oath:",
			"1. I have lived with " + Client + " since 2019. We call her Dory at home.",
			"2. On October 3, 2023 I drove her to the hearing of " + Plaintiff + " v. Kestrel Property Group LLC.",
			"3. My driver license number is H4471923 and my phone is (503) 555-0192.",
		}, "Case No. 24-CV-03817", "Caspian Hollowell")
	out["referral_letter.pdf"] = pdftest.OnePage(
		"Referral: "+Client+", born 11/02/1990.",
		"Referred by Dr. Ignatius Ferreby to "+Clinician+", LCSW.",
		"Her phone (503) 555-0148; she prefers to be called Dory.",
		"Questions: Briarwood Counseling Center, "+Switchboard+".")
	out["lab_referral.pdf"] = pdftest.OnePage(
		"Sleep study referral for "+Client+", MRN 00731864.",
		"Ordering clinician: "+Clinician+". Date: 01/22/2024.",
		"Insurance member ID ZQH448213907. Address 2207 Sorrel Lane, Hillsboro, OR 97123.")
	out["letter_to_counsel.pdf"] = pdftest.OnePage(
		"Thaddeus Whitcombe, Esq., Whitcombe & Arkwright LLP",
		"Re: "+Plaintiff+" v. Kestrel Property Group LLC, No. 24-CV-03817",
		"Our witness "+Client+" can be reached at (503) 555-0148.",
		"Deposition set for February 20, 2024 at 10:00.")
	return out
}

// Names returns the file names of Case20, sorted.
func Names() []string {
	var out []string
	for n := range Case20() {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// docx builds a Word document with a title, paragraphs, a footer and an
// author in its properties.
func docx(title string, paras []string, footer, author string) []byte {
	body := `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>` + dt.Esc(title) + `</w:t></w:r></w:p>`
	for _, p := range paras {
		body += dt.P(p)
	}
	return dt.Doc{
		Body:   body,
		Footer: dt.P(footer),
		Core:   `<dc:creator>` + dt.Esc(author) + `</dc:creator>`,
	}.Build()
}

var texts = map[string]string{
	"progress_note_2024-01-09.txt": `
PROGRESS NOTE
Client: Teodora Vashti        DOB: 11/02/1990        MRN: 00731864
Clinician: Anselm Pryce, LCSW        Session 3
Date of service: January 9, 2024

Teodora reports poor sleep since the accident at the Ridgeback Stables yard.
Her partner Caspian Hollowell now takes their daughter Wren to school.
Plan: weekly sessions; she may call the front desk at (971) 555-0100.
`,
	"progress_note_2024-01-16.txt": `
PROGRESS NOTE
Client: Teodora Vashti        MRN: 00731864
Clinician: Anselm Pryce, LCSW        Session 4
Date of service: January 16, 2024

Dory (her preferred name) says the nightmares come twice a week. She went back
to shoeing horses at Ridgeback Stables for half days. Supervisor at work:
Benedikt Osterholm. PHQ-9 = 12. Next session 01/23/2024.
`,
	"intake_assessment.md": `
# Intake assessment

- **Client:** Teodora Vashti, 34
- **Address:** 2207 Sorrel Lane, Hillsboro, OR 97123
- **Phone:** (503) 555-0148
- **E-mail:** dory.vashti@example.org
- **Referred by:** Dr. Ignatius Ferreby

## History

Teodora grew up in Astoria and trained as a farrier. She has worked at
Ridgeback Stables since 2016. She was kicked by a horse on 09/14/2023 and
was treated at Mercy Hollow Hospital. Her partner is Caspian Hollowell.
`,
	"discharge_summary.md": `
# Discharge summary

Patient: **Teodora Vashti** (MRN 00731864)
Admitted 09/14/2023, discharged 09/16/2023, Mercy Hollow Hospital.

Attending: Dr. Saoirse Lindqvist. Follow-up with Anselm Pryce, LCSW, at
Briarwood Counseling Center, switchboard (971) 555-0100.
`,
	"group_session_notes.md": `
# Group session: trauma skills, week 2

Facilitator: Anselm Pryce, LCSW. Participants: T. Vashti and four others.

Dory practised grounding with the group. She mentioned the Lantern
programme at Briarwood, which she found helpful.
`,
	"safety_plan.txt": `
SAFETY PLAN for Teodora Vashti
Warning signs: not sleeping, skipping meals.
People I can call: Caspian Hollowell (503) 555-0192; my sister Fenella Vashti (503) 555-0177.
Professionals: Anselm Pryce, Briarwood Counseling Center (971) 555-0100.
Crisis line: 988.
`,
	"treatment_plan.md": `
# Treatment plan

Client: Teodora Vashti. Clinician: Anselm Pryce, LCSW. Reviewed 02/06/2024.

1. Reduce nightmares to one a week (imagery rehearsal).
2. Return to full days at Ridgeback Stables by April.
3. Support for the court testimony in the Brandauer matter.
`,
	"phone_log.txt": `
PHONE LOG
01/11/2024 10:14  Teodora Vashti called from (503) 555-0148 to move her session.
01/18/2024 16:02  Caspian Hollowell called: Dory unwell, session cancelled.
02/01/2024 09:30  Dr. Ignatius Ferreby returned the call on (503) 555-0163.
`,
	"declaration_of_teodora_vashti.txt": `
SUPERIOR COURT OF THE STATE OF OREGON, WASHINGTON COUNTY

OTTILIE BRANDAUER,                          Case No. 24-CV-03817
            Plaintiff,
    v.                                      DECLARATION OF TEODORA VASHTI
KESTREL PROPERTY GROUP LLC,
            Defendant.

I, Teodora Vashti, declare:

1. I live at 2207 Sorrel Lane, Hillsboro, OR 97123. I work as a farrier.
2. On September 14, 2023 I saw the gate of the Kestrel yard give way.
3. My Social Security number is 541-38-2290; I give it only to the court.

I declare under penalty of perjury that the foregoing is true and correct.
/s/ Teodora Vashti
`,
	"deposition_excerpt.txt": `
DEPOSITION OF TEODORA VASHTI, February 20, 2024 (excerpt)

Q. (By Mr. Whitcombe) Please state your name for the record.
A. Teodora Vashti. Most people call me Dory.
Q. Where were you on September 14, 2023?
A. At the Kestrel yard on Quarry Road, fitting shoes for Ms. Brandauer's mare.
Q. Who else was there?
A. Benedikt Osterholm, my boss at Ridgeback Stables.
`,
	"settlement_terms.txt": `
SETTLEMENT TERMS (draft), Brandauer v. Kestrel Property Group LLC, No. 24-CV-03817

1. Defendant pays Ottilie Brandauer $48,500 by wire to account 7718203345.
2. Witness fees for Teodora Vashti are paid to her directly.
3. Notices to counsel: Thaddeus Whitcombe, jwhitcombe@whitcombe-arkwright.example.
`,
	"motion_to_seal.md": `
# Motion to seal exhibit 4

Plaintiff **Ottilie Brandauer** moves to seal exhibit 4, the treatment records
of witness Teodora Vashti (DOB 11/02/1990), which name her partner Caspian
Hollowell and their minor daughter W.H.
`,
	"exhibit_list.md": `
# Exhibit list, No. 24-CV-03817

| No. | Exhibit | Witness |
|---|---|---|
| 1 | Photographs of the gate, 09/14/2023 | Teodora Vashti |
| 2 | Invoice of Ridgeback Stables | Benedikt Osterholm |
| 3 | E-mail of Kestrel's manager, Linnart Achterberg | Ottilie Brandauer |
| 4 | Treatment records (sealed) | Anselm Pryce |
`,
	"court_order.txt": `
ORDER GRANTING MOTION TO SEAL

Case No. 24-CV-03817. Judge Corisande Oyelaran.
The motion of Ottilie Brandauer to seal exhibit 4 is granted. The records of
witness Teodora Vashti shall be filed under seal. Dated March 1, 2024.
`,
}
