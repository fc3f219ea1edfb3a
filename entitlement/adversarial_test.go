package entitlement_test

import (
	"strings"
)

// adversarialYAML are rule and case files meant to hurt a loader: aliases
// that name themselves or multiply ("billion laughs"), deep nesting,
// duplicate keys, impossible and far-away dates, control characters and
// invalid UTF-8.
func adversarialYAML() [][]byte {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for c := 'b'; c <= 'j'; c++ {
		p := "*" + string(c-1)
		laughs += string(c) + ": &" + string(c) + " [" + strings.Repeat(p+", ", 9) + p + "]\n"
	}
	return [][]byte{
		[]byte("x: &a [*a]\n"),
		[]byte("- &a {name: *a}\n"),
		[]byte("facts: &f\n  - name: a\n    kind: bool\n    codes: *f\n"),
		[]byte(laughs),
		[]byte("facts:\n" + strings.Repeat("- ", 300) + "x\n"),
		[]byte(strings.Repeat("[", 10_001) + strings.Repeat("]", 10_001)),
		[]byte("facts:\n  - name: a\n    name: b\n    kind: bool\n"),
		[]byte("parameters:\n  - name: c\n    kind: money\n    values:\n      - from: 2027-02-30\n        value: 1\n"),
		[]byte("parameters:\n  - name: c\n    kind: date\n    values:\n      - from: 9999-12-31\n        value: 9999-12-31\n"),
		[]byte("facts:\n  - name: \"a\\0b\"\n    kind: bool\n"),
		[]byte("facts:\n  - name: \xff\xfe\n    kind: bool\n"),
		[]byte("benefits:\n  - id: x\n    conditoin:\n      all:\n        - fact: a\n"),
		[]byte("- name: a\n  benefit: uitpas-kansentarief\n  date: 0001-01-01\n  person: {resident: yes}\n  expect: eligible\n"),
		[]byte("- name: a\n  date: 2026-03-01\n  date: 2026-03-02\n"),
	}
}

// adversarialJSON are JSON rule files meant to hurt a loader.
func adversarialJSON() [][]byte {
	return [][]byte{
		[]byte(strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)),
		[]byte(`{"benefits":[{"condition":` + strings.Repeat(`{"not":`, 300) + `{"fact":"a"}` + strings.Repeat("}", 300) + `}]}`),
		[]byte(`{"parameters":[{"name":"c","kind":"money","values":[{"from":"2026-01-01","value":"25000.00","value":"2500000.00"}]}]}`),
		[]byte(`{"parameters":[{"name":"c","kind":"money","values":[{"from":"2026-01-01","value":"1","Value":"2"}]}]}`),
		[]byte(`{"parameters":[{"name":"c","kind":"money","values":[{"from":"2027-02-30","value":"1"}]}]}`),
		[]byte(`{"parameters":[{"name":"c","kind":"date","values":[{"from":"9999-12-31","value":"0001-01-01"}]}]}`),
		[]byte(`{"facts":[{"name":"a\u0000b","kind":"bool"}]}`),
		[]byte("{\"facts\":[{\"name\":\"\xff\",\"kind\":\"bool\"}]}"),
		[]byte(`{"benefits":[{"notice_days":1e400}]}`),
		[]byte(`{"facts":[]} {"facts":[]}`),
		[]byte(`"\`),
	}
}
