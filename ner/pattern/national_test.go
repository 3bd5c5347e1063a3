package pattern

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestNationalValidators checks each identifier validator on numbers made
// with its algorithm (valid) and the same numbers with one character
// changed or a part out of range (invalid).
func TestNationalValidators(t *testing.T) {
	cases := []struct {
		name  string
		valid []string
		bad   []string
	}{
		{"itin", []string{"912-70-1234", "965 81 4420"}, []string{"912-40-1234", "812-70-1234", "912-93-1234"}},
		{"mbi", []string{"5KT9-WN3-RA41", "7QX2HP4GD86"}, []string{"5ST9-WN3-RA41", "0KT9WN3RA41", "5KT9WN3RA4"}},
		{"npi", []string{"1472583693", "1987654328"}, []string{"1472583694", "3472583693"}},
		{"us_dl", []string{"D1234-5678-9012", "B7203915", "41823957", "S530-460-87-157-0"}, []string{"12", "ABCDEFG", "D1234567ISSUED"}},
		{"aba", []string{"021000021", "111000614", "3222-7493-8", "071005018"}, []string{"111000615", "990000010", "000000000"}},
		{"bank_account", []string{"0532013000", "12 1020 3040 5060 7080"}, []string{"2023-04-17", "1234", "0000000"}},
		{"uk_postcode", []string{"LS6 2QT", "EH1 1YZ", "SW1A 2AA", "B33 8TH", "CR26XH"}, []string{"QQ1 2AB", "M1 2CV", "LS6 2Q"}},
		{"uk_driving", []string{"JONES710238HA3DX", "SMITH751120JD9AB 05", "LI999804126P99XY"}, []string{"JONES713238HA3DX", "JONES710238HA3D", "99999710238HA3DX"}},
		{"mac", []string{"01:23:45:67:89:ab", "a4-5e-60-c2-1f-3b", "0021.8f3c.91ab"}, []string{"00:00:00:00:00:00", "01:23-45:67:89:ab", "01:23:45:67:89"}},
		{"btc_base58", []string{"1QK6yA1guK9LEYyNZUJcMwnWTcbWTSqPCx", "39KXfPWbKmu2aPuWry4CMj9zm11bDqJvRw"}, []string{"1QK6yA1guK9LEYyNZUJcMwnWTcbWTSqPCy", "1QK6yA1guK9LEY0NZUJcMwnWTcbWTSqPCx"}},
		{"btc_bech32", []string{"bc1ql7m4es35c9l25cnttqz9dvl5u5uf83dn0htqlk", "BC1QL7M4ES35C9L25CNTTQZ9DVL5U5UF83DN0HTQLK", "bc1p2wc2uqe8l8atxgeshfhgd6065y7ulf93teupzwxdkeckgzv4xxcs6yqla8"}, []string{"bc1ql7m4es35c9l25cnttqz9dvl5u5uf83dn0htqlj", "bc1Ql7m4es35c9l25cnttqz9dvl5u5uf83dn0htqlk", "tb1ql7m4es35c9l25cnttqz9dvl5u5uf83dn0htqlk"}},
		{"eth_address", []string{"0x53B0aE0327F9FAB32330BA6e86E9faa13Dcfa4b1", "0x53b0ae0327f9fab32330ba6e86e9faa13dcfa4b1"}, []string{"0x53B0aE0327F9FAB32330BA6e86E9faa13Dcfa4B1", "0x0000000000000000000000000000000000000000", "0x53b0ae"}},
		{"ca_sin", []string{"273 819 466", "519-204-838"}, []string{"273 819 467", "873 819 462"}},
		{"au_tfn", []string{"876 543 210", "459786237"}, []string{"876 543 211"}},
		{"au_abn", []string{"92 647 189 536"}, []string{"92 647 189 537", "02647189536"}},
		{"au_acn", []string{"007 183 520", "124578909"}, []string{"007 183 521"}},
		{"au_medicare", []string{"2953 18468 1", "4182937532-1"}, []string{"2953 18469 1", "7953184681"}},
		{"de_steuer_id", []string{"58 137 629 447"}, []string{"58137629448", "58137629947", "08137629447"}},
		{"de_svnr", []string{"15 180781 K 023", "53220692M513"}, []string{"15180781K024", "15183781K023", "15180781002"}},
		{"es_nif", []string{"47382916H", "03819274-D"}, []string{"47382916J", "00000000T"}},
		{"es_nie", []string{"X4928136H", "Y-2837465-S", "Z8162743W"}, []string{"X4928136J", "A4928136H"}},
		{"it_fiscal", []string{"BNCLGU72A15F205R", "VRDGPP90T62L219M"}, []string{"BNCLGU72A15F205S", "BNCLGU72Z15F205R", "BNCLGU72A95F205R"}},
		{"fi_hetu", []string{"150383-274B", "020304A812X", "311299-913N"}, []string{"150383-274C", "310283-274B", "150383Q274B"}},
		{"se_personnummer", []string{"850412-3269", "19731129-1475", "0112059282"}, []string{"850412-3268", "851312-3269"}},
		{"in_aadhaar", []string{"4876 2193 0542", "739205846176", "284650193729"}, []string{"4876 2193 0543", "1876 2193 0542"}},
		{"in_pan", []string{"AMKPT4821C", "BXRPS7301K"}, []string{"AMKXT4821C", "AMKPT0000C", "AMKPT4821"}},
		{"in_gstin", []string{"29AMKPT4821C1ZW", "07ARVFK9152D1ZZ"}, []string{"29AMKPT4821C1ZX", "29AMKPT4821C1YW", "45AMKPT4821C1ZW"}},
		{"sg_nric", []string{"S8234157I", "T0391526Z", "F4817263Q", "G6120394Q", "M2841735N"}, []string{"S8234157J", "A8234157I", "F4817263I"}},
		{"sg_uen", []string{"53218764K", "201912345W", "T09LL0001B"}, []string{"T09ZZ0001B", "5321876K"}},
		{"tr_kimlik", []string{"38291570612", "21984635750", "54712098398"}, []string{"38291570613", "08291570612", "38291570602"}},
		{"th_id", []string{"3-7051-02846-19-0", "1103701964235"}, []string{"3-7051-02846-19-1", "9705102846190"}},
		{"za_id", []string{"8509145124089", "010301 0623 082"}, []string{"8509145124088", "8513145124089", "8509145124389"}},
		{"kr_frn", []string{"850412-5824132"}, []string{"850412-5824133", "851312-5824132", "850412-1824132"}},
		{"kr_rrn_context", []string{"210203-7123456", "850412-5824132", "8803151276432"}, []string{"010203-7123456", "850412-5824133"}}, {"kr_rrn_shape", []string{"010203-7123456", "990505-6234567"}, []string{"011303-7123456", "010230-7123456"}},
		{"kr_driver", []string{"11-17-123456-81", "111712345681"}, []string{"31-17-123456-81", "1117"}},
		{"vn_cccd_strict", []string{"001204012345", "079203001234"}, []string{"003204012345", "997234567890"}},
		{"postcode_country", []string{"D-10115", "PL 00-950", "F-75001", "NL-1012 AB", "CH-8001"}, []string{"D-1011", "PL 00950", "XX-12345", "10115"}},
		{"not_date_like", []string{"0532013000", "12-34-5678"}, []string{"2023-04-17", "17.04.2023", "04/17/2023"}},
		{"address_value", []string{"14 Tavistock Road, Leeds", "ul. Długa 5"}, []string{"Leeds", "14 22", "Tavistock Road"}},
		{"postal_value", []string{"97201", "M1 1AE", "00-950", "K1A 0B1"}, []string{"12", "Leeds", "1012 AB Amsterdam", "12345678901"}},
		{"name_value", []string{"Ilse Marchetti", "Ludwig van Beethoven", "DANA WHITCOMBE"}, []string{"ilse marchetti", "Room 12", "DANA", "A B C D E F"}},
		{"handle_value", []string{"oquillanby", "t.everard", "tamsin everard", "@teverard2", "oq1987", "te_4410", "q-20260312"}, []string{"$ 233,600", "12/03/2026", "Department of Health and Social Care", "", "2026-03-12", "No. 48213", "q" + strings.Repeat("7", 39), "oq1987 #4"}},
		{"card_prefix", []string{"4111 1111 1111 1111", "4222222222222", "5500 0000 0000 0004", "378282246310005", "30569309025904", "6011111111111117", "3530111333300000"}, []string{"1111 2222 3333 4444", "4444 4444 4444 4444", "", "6705089013088", "37828224631000", "41111111111111"}},
		{"letters_digits", []string{"AB12", "x9"}, []string{"ABCD", "1234", ""}},
		{"nanp_area", []string{"5035550147", "1 212 555 0111"}, []string{"1035550147", "5031550147", "2222222222", "503555014"}},
		{"not_fraction", []string{"3/14", "12/25", "6/6"}, []string{"1/2", "3/4", "5/5", "05/05"}},
		{"not_repeated", []string{"123456789", "1-1-2"}, []string{"111111111", "0-0-0", ""}},
		{"ph_id", []string{"34-1234567-8", "12-345678901-2", "123-456-789-000"}, []string{"12345678", "11-1111111-1", "1234-5678-9012-3456-7"}},
		{"phone_digits", []string{"+44 20 7946 0959", "503 555 0147"}, []string{"555 0147", "1234567890123456"}},
		{"vin", []string{"1HGCM82633A004352"}, []string{"1HGCM82633A004353", "1HGCM82633A00435", "11111111111111111"}},
	}
	for _, c := range cases {
		v, ok := validators[c.name]
		if !ok {
			t.Fatalf("no validator %q", c.name)
		}
		for _, s := range c.valid {
			if !v(s) {
				t.Errorf("%s(%q) = false, want true", c.name, s)
			}
		}
		for _, s := range c.bad {
			if v(s) {
				t.Errorf("%s(%q) = true, want false", c.name, s)
			}
		}
	}
}

// FuzzValidators feeds every validator arbitrary strings (they parse
// what a rule or a table cell hands them): none panics, and each answers
// the same twice (no state kept between calls).
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"912-70-1234", "5KT9-WN3-RA41", "GB82 WEST 1234 5698 7654 32", "M1 1AE", "bc1ql7m4es35c9l25cnttqz9dvl5u5uf83dn0htqlk", "0x53B0aE0327F9FAB32330BA6e86E9faa13Dcfa4b1", "1HGCM82633A004352", "\xff9", "01:23:45:67:89:ab"} {
		f.Add(s)
	}
	names := make([]string, 0, len(validators))
	for n := range validators {
		names = append(names, n)
	}
	sort.Strings(names)
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range names {
			v := validators[n]
			a := v(s)
			if a != v(s) {
				t.Fatalf("%s(%q) is not deterministic", n, s)
			}
		}
	})
}

// TestValidatorsNeverPanic feeds every validator odd strings.
func TestValidatorsNeverPanic(t *testing.T) {
	inputs := []string{"", "0", "x", "\xff\xfe", "--------", "0x", "bc1", strings.Repeat("9", 40), "Z-", "1-", "AB 12", "é1234567890123"}
	for name, v := range validators {
		for _, in := range inputs {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s(%q) panicked: %v", name, in, r)
					}
				}()
				v(in)
			}()
		}
	}
}

func TestPostalFormatsParse(t *testing.T) {
	if len(postalFormats) < 35 {
		t.Fatalf("only %d postal formats", len(postalFormats))
	}
	for _, bad := range [][][]string{
		{{"DE", "D"}},
		{{"DE", "D", "("}},
		{{"DE", "D", "[0-9]{5}"}, {"AT", "D", "[0-9]{4}"}},
	} {
		if _, err := parsePostalFormats(bad); err == nil {
			t.Errorf("parsePostalFormats(%q) accepted", bad)
		}
	}
}

// TestLexMacros checks that every {{lex_…}} macro and keywords_from of the
// rules names a lexicon list, and how a macro is built.
func TestLexMacros(t *testing.T) {
	m, err := lexMacros(lexRefs(defaultRules))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"lex_street_types", "lex_street_types_prefix", "lex_street_suffixes", "lex_street_suffixes_cap", "lex_unit_designators"} {
		if m[k] == "" {
			t.Errorf("macro %s missing", k)
		}
	}
	// every language's entries, longest first, capitalised for _cap
	re := regexp.MustCompile(`^` + m["lex_street_suffixes_cap"] + `$`)
	for _, w := range []string{"Straße", "Gatan", "Katu", "Straat", "Vej"} {
		if !re.MatchString(w) {
			t.Errorf("lex_street_suffixes_cap does not match %q", w)
		}
	}
	if _, err := lexMacros(lexRefs([]byte("{{lex_no_such_list}}"))); err == nil {
		t.Error("a macro naming no list was accepted")
	}
}
