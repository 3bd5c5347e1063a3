package profiles

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestBuiltinsLoad(t *testing.T) {
	names := BuiltinNames()
	if strings.Join(names, ",") != "court,court-criminal,research,supervision" {
		t.Fatalf("built-ins: %v", names)
	}
	for _, n := range names {
		p, err := Load(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		// Every entity resolves to a rule with a basis or keep.
		for _, e := range ner.Entities() {
			r := p.For(e)
			if r.Action != Keep && r.Basis == "" {
				t.Errorf("%s: %s has no basis", n, e)
			}
		}
		// The effective YAML loads back to the same profile.
		y, err := p.YAML()
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse(y, "roundtrip")
		if err != nil {
			t.Fatalf("%s: effective YAML does not load: %v\n%s", n, err, y)
		}
		for _, e := range ner.Entities() {
			a, b := p.For(e), q.For(e)
			a.pos, b.pos = "", ""
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %s round trip: %+v vs %+v", n, e, a, b)
			}
		}
		for _, r := range Roles() {
			a, _ := p.ForRole(r)
			b, _ := q.ForRole(r)
			a.pos, b.pos = "", ""
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: role %s round trip: %+v vs %+v", n, r, a, b)
			}
		}
		if !reflect.DeepEqual(p.Categories, q.Categories) || !reflect.DeepEqual(p.Notices, q.Notices) {
			t.Errorf("%s: categories or notices lost in the round trip", n)
		}
	}
}

// The built-ins follow RULES.md where the detectors allow.
func TestBuiltinPolicies(t *testing.T) {
	court, _ := Load("court")
	for e, want := range map[ner.Entity]Action{
		ner.SSN: KeepLast, ner.TIN: KeepLast, ner.Account: KeepLast, ner.CreditCard: KeepLast,
		ner.BirthDate: Year, ner.Person: Keep, ner.Date: Keep, ner.Custom: Label,
	} {
		if got := court.For(e).Action; got != want {
			t.Errorf("court %s: %s, want %s", e, got, want)
		}
	}
	if r, ok := court.ForRole(Minor); !ok || r.Action != Initials || r.Basis != "Fed. R. Civ. P. 5.2(a)(3)" {
		t.Errorf("court minors: %+v", r)
	}
	if court.For(ner.Address).Action != Keep || !court.Redacts(ner.Person) {
		t.Error("court must keep addresses and look at names (for minors)")
	}
	crim, _ := Load("court-criminal")
	if r := crim.For(ner.Address); r.Action != CityState || !strings.Contains(r.Basis, "49.1(a)(5)") {
		t.Errorf("court-criminal address: %+v", r)
	}
	if r := crim.For(ner.Custom); r.Label != "REDACTED – PRIVILEGED" {
		t.Errorf("court-criminal does not inherit the deny-list rule: %+v", r)
	}
	for _, e := range []ner.Entity{ner.SSN, ner.BirthDate, ner.Account} {
		if b := crim.For(e).Basis; !strings.Contains(b, "49.1") {
			t.Errorf("court-criminal %s basis %q", e, b)
		}
	}

	research, _ := Load("research")
	for _, e := range ner.Entities() {
		// Occupations, nationalities and diagnoses found in context are
		// no Safe Harbor identifier and are what research data is for.
		if keep := e == ner.Demographic; research.Redacts(e) == keep {
			t.Errorf("research redacts %s: %v", e, !keep)
		}
	}
	if r := research.For(ner.Person); r.Action != Pseudonym {
		t.Errorf("research names: %+v", r)
	}
	if r := research.For(ner.ZIP); r.Action != ZIP3 || !reflect.DeepEqual(r.Restricted, RestrictedZIP3) {
		t.Errorf("research ZIP: %+v", r)
	}
	if r := research.For(ner.BirthDate); !r.AggregateOver89 {
		t.Errorf("research birth dates over 89: %+v", r)
	}
	// Every Safe Harbor category (A)-(R) is there, every entity is in one,
	// and exactly biometrics and photographs cannot be detected in text.
	var ids, manual []string
	in := map[ner.Entity]bool{}
	for _, c := range research.Categories {
		ids = append(ids, c.ID)
		if len(c.Entities) == 0 {
			manual = append(manual, c.ID)
		}
		for _, e := range c.Entities {
			in[e] = true
			if !strings.Contains(research.For(e).Basis, "164.514") {
				t.Errorf("research %s basis %q", e, research.For(e).Basis)
			}
		}
	}
	if strings.Join(ids, "") != "ABCDEFGHIJKLMNOPQR" || strings.Join(manual, "") != "PQ" {
		t.Errorf("categories %v, not detectable %v", ids, manual)
	}
	for _, e := range ner.Entities() {
		if !in[e] && e != ner.Demographic {
			t.Errorf("research: entity %s is in no Safe Harbor category", e)
		}
	}

	sup, _ := Load("supervision")
	if sup.For(ner.Person).Action != Alias || sup.For(ner.Date).Action != Label || sup.For(ner.Date).Label != "[date]" || sup.For(ner.Person).Titles != TitlesIdentifying {
		t.Errorf("supervision: %+v %+v", sup.For(ner.Person), sup.For(ner.Date))
	}
	if r, ok := sup.ForRole(Client); !ok || r.Alias != "Client" || len(r.Context) == 0 {
		t.Errorf("supervision client: %+v", r)
	}
	if len(sup.NeedsKey()) != 0 || len(court.NeedsKey()) != 0 || len(research.NeedsKey()) != 1 {
		t.Errorf("keys needed: %v %v %v", sup.NeedsKey(), court.NeedsKey(), research.NeedsKey())
	}
}

func TestExtends(t *testing.T) {
	p, err := Load("testdata/valid/extends_court.yaml")
	if err != nil {
		t.Fatal(err)
	}
	court, _ := Load("court")
	if p.Name != "firm" || p.Threshold != court.Threshold || p.Description != court.Description {
		t.Errorf("inherited fields: %q %v %q", p.Name, p.Threshold, p.Description)
	}
	if r := p.For(ner.Custom); r.Label != "CONFIDENTIAL" {
		t.Errorf("override: %+v", r)
	}
	if r := p.For(ner.SSN); r.Action != KeepLast || r.Basis != "Fed. R. Civ. P. 5.2(a)(1)" {
		t.Errorf("inherited rule: %+v", r)
	}
	if r := p.For(ner.Email); r.Action != Label {
		t.Errorf("added rule: %+v", r)
	}
	// A file extending a file, by a path relative to itself.
	q, err := Load("testdata/valid/extends_file.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if q.For(ner.Email).Action != Drop || q.For(ner.Custom).Label != "CONFIDENTIAL" {
		t.Errorf("chain: %+v %+v", q.For(ner.Email), q.For(ner.Custom))
	}
	// The effective YAML has no extends: and loads on its own.
	y, _ := q.YAML()
	if strings.Contains(string(y), "extends") {
		t.Fatalf("effective profile still extends:\n%s", y)
	}
	if _, err := Parse(y, "effective"); err != nil {
		t.Fatal(err)
	}
}

// docs/PROFILES.md documents each built-in profile in a section of its own
// with the table Table() makes: a rule changed in the YAML without the
// page fails here.
func TestProfileTablesDocumented(t *testing.T) {
	raw, err := os.ReadFile("../docs/PROFILES.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, n := range BuiltinNames() {
		p, _ := Load(n)
		if !strings.Contains(doc, "\n## "+n+" ") {
			t.Errorf("docs/PROFILES.md has no section ## %s", n)
		}
		if !strings.Contains(doc, p.Table()) {
			t.Errorf("docs/PROFILES.md lacks the current table of %s; it should read:\n%s", n, p.Table())
		}
	}
}

func TestValidProfiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Each invalid profile states the error it must produce on its first line:
// "# want: <substring>".
func TestInvalidProfiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) < 10 {
		t.Fatal("missing testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(raw), "\n")
			want := strings.TrimPrefix(first, "# want: ")
			if want == first {
				t.Fatalf("first line must be '# want: ...'")
			}
			_, err = Load(f)
			if err == nil {
				t.Fatalf("loaded without error, want %q", want)
			}
			// the file by its role, never its path (session "sidefix37")
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "the --profile file") || strings.Contains(err.Error(), "testdata") {
				t.Fatalf("error %q\nwant it to name the file by its role, not its path, and contain %q", err, want)
			}
		})
	}
}

// TestProfileErrorsNoPath: a profile file's errors (unreadable, not
// YAML, invalid, a bad extends) do not print its path, which can hold a
// client's name (session "sidefix37").
func TestProfileErrorsNoPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Orsolya Quillanby")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"bad.yaml":     "rules: [\n",
		"invalid.yaml": "extends: research\nrules:\n  - entity: NOSUCH\n    action: remove\n",
		"ext.yaml":     "extends: missing.yaml\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"absent.yaml", "bad.yaml", "invalid.yaml", "ext.yaml"} {
		_, err := Load(filepath.Join(dir, f))
		if err == nil {
			t.Fatalf("%s loaded", f)
		}
		if strings.Contains(err.Error(), "Quillanby") || !strings.Contains(err.Error(), "the --profile file") {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := Load(filepath.Join(dir, "absent.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("absent: %v, want the error's kind kept", err)
	}
}

func TestLoadUnknownName(t *testing.T) {
	_, err := Load("surgery")
	if err == nil || !strings.Contains(err.Error(), "court, court-criminal, research, supervision") {
		t.Fatalf("error %v should list the built-ins", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range BuiltinNames() {
		b, _ := BuiltinSource(n)
		f.Add(b)
	}
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		// A profile that loads answers for every entity with a valid action.
		for _, e := range ner.Entities() {
			if _, ok := actions[p.For(e).Action]; !ok {
				t.Fatalf("entity %s resolves to invalid action %q", e, p.For(e).Action)
			}
		}
		// And for every column it lists.
		for h := range p.Columns {
			c, ok := p.Column(h)
			if !ok {
				t.Fatalf("column %q is not found by its own header", h)
			}
			if _, ok := actions[p.ColumnRule(c).Action]; !ok {
				t.Fatalf("column %q resolves to invalid action %q", h, p.ColumnRule(c).Action)
			}
		}
	})
}

func TestDetectionMaxRecall(t *testing.T) {
	research, err := Load("research")
	if err != nil {
		t.Fatal(err)
	}
	if !research.MaxRecall() {
		t.Error("research: max_recall is off")
	}
	for _, name := range []string{"court", "supervision"} {
		if p, err := Load(name); err != nil || p.MaxRecall() {
			t.Errorf("%s: max_recall %v (%v)", name, p != nil && p.MaxRecall(), err)
		}
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// inherited through extends, and can be turned off explicitly
	p, err := Load(write("inherit.yaml", "name: mine\nextends: research\n"))
	if err != nil || !p.MaxRecall() {
		t.Errorf("extends research: max recall %v, %v", p != nil && p.MaxRecall(), err)
	}
	p, err = Load(write("off.yaml", "name: mine\nextends: research\ndetection: {max_recall: false}\n"))
	if err != nil || p.MaxRecall() {
		t.Errorf("explicitly off: max recall %v, %v", p != nil && p.MaxRecall(), err)
	}
	if _, err := Load(write("bad.yaml", "name: x\nthreshold: 0.5\ndefault: {action: keep}\ndetection: {max_recal: true}\n")); err == nil {
		t.Error("unknown detection key accepted")
	}
	// measurements: research keeps them, inherited; only redact or keep
	if !research.KeepMeasurements() || !p.KeepMeasurements() {
		t.Errorf("measurements: research %v, extends research %v", research.KeepMeasurements(), p.KeepMeasurements())
	}
	if p, err := Load(write("redact.yaml", "name: mine\nextends: research\ndetection: {measurements: redact}\n")); err != nil || p.KeepMeasurements() {
		t.Errorf("measurements: redact: %v, %v", p != nil && p.KeepMeasurements(), err)
	}
	if _, err := Load(write("badm.yaml", "name: mine\nextends: research\ndetection: {measurements: drop}\n")); err == nil {
		t.Error("measurements: drop accepted")
	}
}

// TestImages: what happens to images is a profile setting (ocr, drop or
// quarantine, and for images OCR cannot read drop or quarantine),
// inherited through extends, drop by default, and never "keep".
func TestImages(t *testing.T) {
	for name, want := range map[string][2]ImagePolicy{
		"supervision": {ImagesOCR, ImagesDrop}, "research": {ImagesOCR, ImagesDrop},
		"court": {ImagesOCR, ImagesQuarantine}, "court-criminal": {ImagesOCR, ImagesQuarantine},
	} {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.Images != want[0] || p.ImagesUnread != want[1] {
			t.Errorf("%s: images %q, unread %q, want %q", name, p.Images, p.ImagesUnread, want)
		}
		y, _ := p.YAML()
		if !strings.Contains(string(y), "images: "+string(want[0])) || !strings.Contains(string(y), "images_unread: "+string(want[1])) {
			t.Errorf("%s: the effective YAML lacks images:\n%s", name, y)
		}
	}
	p, err := Parse([]byte("name: x\nthreshold: 0.5\ndefault: {action: keep}\n"), "x")
	if err != nil || p.Images != ImagesDrop || p.ImagesUnread != ImagesDrop {
		t.Errorf("default: %q %q %v", p.Images, p.ImagesUnread, err)
	}
	p, err = Parse([]byte("name: x\nextends: court\nimages: drop\n"), "x")
	if err != nil || p.Images != ImagesDrop || p.ImagesUnread != ImagesQuarantine {
		t.Errorf("override: %v %v", p, err)
	}
	p, err = Parse([]byte("name: x\nextends: court\nimages_unread: drop\n"), "x")
	if err != nil || p.Images != ImagesOCR || p.ImagesUnread != ImagesDrop {
		t.Errorf("override unread: %v %v", p, err)
	}
}

// TestImagesNoText: court keeps pictures without text (images_no_text:
// keep), inherited by court-criminal and through extends; the other
// built-ins and a profile that says nothing treat them as unread.
func TestImagesNoText(t *testing.T) {
	for name, want := range map[string]NoTextPolicy{
		"supervision": NoTextUnread, "research": NoTextUnread, "court": NoTextKeep, "court-criminal": NoTextKeep,
	} {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.ImagesNoText != want {
			t.Errorf("%s: images_no_text %q, want %q", name, p.ImagesNoText, want)
		}
		if y, _ := p.YAML(); !strings.Contains(string(y), "images_no_text: "+string(want)) {
			t.Errorf("%s: the effective YAML lacks images_no_text:\n%s", name, y)
		}
	}
	p, err := Parse([]byte("name: x\nthreshold: 0.5\ndefault: {action: keep}\n"), "x")
	if err != nil || p.ImagesNoText != NoTextUnread {
		t.Errorf("default: %q %v", p.ImagesNoText, err)
	}
	p, err = Parse([]byte("name: x\nextends: court\nimages_no_text: unread\n"), "x")
	if err != nil || p.ImagesNoText != NoTextUnread || p.ImagesUnread != ImagesQuarantine {
		t.Errorf("override: %q %v", p.ImagesNoText, err)
	}
}

// TestColumns: a profile says what table columns hold, by header; a
// profile that extends it adds and replaces columns; the effective YAML
// keeps them.
func TestColumns(t *testing.T) {
	p, err := Load("testdata/valid/columns.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		header string
		kind   ColumnKind
		action Action
	}{
		{"Patient Name", ColumnEntity, Pseudonym},
		{"  patient   NAME", ColumnEntity, Pseudonym},
		{"DOB", ColumnEntity, Year},
		{"Notes", ColumnDetect, ""},
		{"Diagnosis", ColumnKeep, Keep},
		{"Free-text comments", ColumnDrop, Drop},
		{"Admit Date", ColumnEntity, DateShift},
	} {
		col, ok := p.Column(c.header)
		if !ok || col.Kind != c.kind {
			t.Errorf("%q: %+v %v", c.header, col, ok)
			continue
		}
		if c.action != "" {
			if r := p.ColumnRule(col); r.Action != c.action || r.Basis == "" && r.Action != Keep {
				t.Errorf("%q: rule %+v", c.header, r)
			}
		}
	}
	if _, ok := p.Column("Attending"); ok {
		t.Error("a column the profile does not list has a rule")
	}
	if col, _ := p.Column("Admit Date"); p.ColumnRule(col).MaxDays != 30 || !col.Own() {
		t.Errorf("own rule: %+v", col)
	}
	if !slices.Contains(p.NeedsKey(), "PERSON: pseudonym") {
		t.Errorf("needs key: %v", p.NeedsKey())
	}
	// Extending it: one column replaced (headers compared without case),
	// the others inherited.
	child, err := Parse([]byte("name: child\nextends: testdata/valid/columns.yaml\ncolumns:\n  \"diagnosis\": drop\n"), "child.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if col, _ := child.Column("Diagnosis"); col.Kind != ColumnDrop {
		t.Errorf("replaced column: %+v", col)
	}
	if col, _ := child.Column("Patient Name"); col.Kind != ColumnEntity {
		t.Errorf("inherited column: %+v", col)
	}
	// The effective YAML loads to the same columns.
	y, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(y, "effective")
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	for h := range p.Columns {
		a, _ := p.Column(h)
		b, _ := q.Column(h)
		if a.Kind != b.Kind || p.ColumnRule(a).Action != q.ColumnRule(b).Action || p.ColumnRule(a).MaxDays != q.ColumnRule(b).MaxDays {
			t.Errorf("%q: %+v after the round trip, was %+v", h, b, a)
		}
	}
}

// TestForms: PDF forms are flattened unless a profile drops them; the
// setting is inherited through extends.
func TestForms(t *testing.T) {
	for _, n := range BuiltinNames() {
		p, err := Load(n)
		if err != nil {
			t.Fatal(err)
		}
		if p.Forms != FormsFlatten {
			t.Errorf("%s: forms %q, want flatten", n, p.Forms)
		}
	}
	p, err := Parse([]byte("name: x\nextends: court\nforms: drop\n"), "x")
	if err != nil || p.Forms != FormsDrop {
		t.Fatalf("forms: drop: %v %v", p, err)
	}
	y, _ := p.YAML()
	q, err := Parse([]byte("name: y\nextends: court\n"), "y")
	if err != nil || q.Forms != FormsFlatten || !strings.Contains(string(y), "forms: drop") {
		t.Errorf("inherit/YAML: %v %v\n%s", q, err, y)
	}
}
