package validate

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// MaxText is the most bytes any single text field of an input may hold,
// whatever tighter limit its own rules set: nothing unbounded reaches a store.
const MaxText = 64 << 10

// maxDepth bounds how deep Input follows nested structs, slices and maps.
const maxDepth = 16

// TextProblem returns the rule and message for free text that no store
// should keep: invalid UTF-8, a NUL or another control character (tab,
// line feed and carriage return are allowed, as forms send CRLF), or more
// than MaxText bytes. It returns "" when s is acceptable.
//
// The rule lives here, once, so the memory and PostgreSQL stores behave the
// same: PostgreSQL refuses NUL bytes and invalid UTF-8 in text columns.
func TextProblem(s string) (rule, message string) {
	if len(s) > MaxText {
		return "max", "must be at most " + strconv.Itoa(MaxText) + " bytes long"
	}
	if !utf8.ValidString(s) {
		return "utf8", "is not valid UTF-8 text"
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return "text", "must not contain control characters"
		}
	}
	return "", ""
}

// CheckText adds an error to c when s breaks TextProblem's rule.
func CheckText(c *errs.Collector, field, s string) {
	if rule, msg := TextProblem(s); rule != "" {
		c.Add(field, rule, "%s", msg)
	}
}

// CheckTime adds an error to c when t is set and lies outside the years
// calendar.MinYear to calendar.MaxYear.
func CheckTime(c *errs.Collector, field string, t time.Time) {
	if !t.IsZero() && !calendar.InHorizon(t) {
		c.Add(field, "horizon", "must lie between the years %d and %d", calendar.MinYear, calendar.MaxYear)
	}
}

// CheckDate adds an error to c when d is set and is not a day on the
// calendar (30 February) or lies outside the years calendar.MinYear to
// calendar.MaxYear.
func CheckDate(c *errs.Collector, field string, d calendar.Date) {
	if !d.IsZero() && !realDay(d) {
		c.Add(field, "date", "is not a day on the calendar")
		return
	}
	if !d.IsZero() && !d.InHorizon() {
		c.Add(field, "horizon", "must lie between the years %d and %d", calendar.MinYear, calendar.MaxYear)
	}
}

// Input checks what every input of every service must be, whatever its
// own rules: each exported string field (in nested structs, slices and
// maps too) passes TextProblem, and each time.Time or calendar.Date that is
// set lies within calendar.MinYear and calendar.MaxYear. It returns nil or
// an *errs.ValidationError naming each field by its JSON path.
//
// Struct runs Input too; packages that check their input by hand call it
// first. It allocates only to report what it finds: field paths are
// built for the fields in error alone, and what each type holds is
// worked out once.
func Input(v any) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil
	}
	if rv.Kind() != reflect.Pointer {
		// An addressable copy lets times be read without boxing each one.
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		rv = p
	}
	var w walker
	w.path = w.pathBuf[:0]
	w.walk(rv, 0)
	return w.c.Err()
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(calendar.Date{})
)

// seg is one step of a field path: a field name, an index or a map key.
type seg struct {
	name  string
	index int
	key   string
	kind  byte // 'f' field, 'i' index, 'k' key
}

type walker struct {
	c       errs.Collector
	path    []seg
	pathBuf [8]seg
}

func (w *walker) where() string {
	var b strings.Builder
	for _, s := range w.path {
		switch s.kind {
		case 'f':
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		case 'i':
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case 'k':
			b.WriteString("[" + strconv.Quote(s.key) + "]")
		}
	}
	return b.String()
}

func (w *walker) text(s string) {
	if rule, msg := TextProblem(s); rule != "" {
		w.c.Add(w.where(), rule, "%s", msg)
	}
}

func (w *walker) horizon(ok bool) {
	if !ok {
		w.c.Add(w.where(), "horizon", "must lie between the years %d and %d", calendar.MinYear, calendar.MaxYear)
	}
}

func (w *walker) walk(v reflect.Value, depth int) {
	if !v.IsValid() || depth > maxDepth || !holdsChecks(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), depth+1)
		}
	case reflect.String:
		w.text(v.String())
	case reflect.Struct:
		switch v.Type() {
		case timeType:
			t := timeOf(v)
			w.horizon(t.IsZero() || calendar.InHorizon(t))
			return
		case dateType:
			d := calendar.Date{Year: int(v.Field(0).Int()), Month: time.Month(v.Field(1).Int()), Day: int(v.Field(2).Int())}
			if !d.IsZero() && !realDay(d) {
				w.c.Add(w.where(), "date", "is not a day on the calendar")
				return
			}
			w.horizon(d.IsZero() || d.InHorizon())
			return
		}
		for _, f := range fieldsOf(v.Type()) {
			if f.inline {
				w.walk(v.Field(f.index), depth+1)
				continue
			}
			w.path = append(w.path, seg{kind: 'f', name: f.name})
			w.walk(v.Field(f.index), depth+1)
			w.path = w.path[:len(w.path)-1]
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.path = append(w.path, seg{kind: 'i', index: i})
			w.walk(v.Index(i), depth+1)
			w.path = w.path[:len(w.path)-1]
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			key := ""
			if k.Kind() == reflect.String {
				key = k.String()
				if rule, _ := TextProblem(key); rule != "" {
					w.c.Add(w.where(), "text", "has a key that is not acceptable text")
					continue
				}
			}
			w.path = append(w.path, seg{kind: 'k', key: key})
			w.walk(iter.Value(), depth+1)
			w.path = w.path[:len(w.path)-1]
		}
	}
}

// timeOf reads a time.Time without boxing it when v is addressable.
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}

type fieldInfo struct {
	index  int
	name   string
	inline bool // an embedded struct without a JSON name: its fields are the parent's
}

var (
	fieldCache sync.Map // reflect.Type → []fieldInfo
	holdsCache sync.Map // reflect.Type → bool
)

// fieldsOf lists the exported fields of struct type t that hold anything
// Input checks, with their JSON names.
func fieldsOf(t reflect.Type) []fieldInfo {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]fieldInfo)
	}
	var fs []fieldInfo
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || !holdsChecks(f.Type) {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs = append(fs, fieldInfo{index: i, name: name, inline: f.Anonymous && tag == ""})
	}
	fieldCache.Store(t, fs)
	return fs
}

// holdsChecks reports whether a value of type t can hold text, a time or
// a date; other values (numbers, byte slices, UUIDs) are passed by.
func holdsChecks(t reflect.Type) bool {
	if h, ok := holdsCache.Load(t); ok {
		return h.(bool)
	}
	holdsCache.Store(t, true) // a recursive type holds what it holds; assume so while looking
	h := false
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		h = true
	case reflect.Pointer:
		h = holdsChecks(t.Elem())
	case reflect.Slice, reflect.Array:
		h = t.Elem().Kind() != reflect.Uint8 && holdsChecks(t.Elem())
	case reflect.Map:
		h = t.Key().Kind() == reflect.String || holdsChecks(t.Elem())
	case reflect.Struct:
		if t == timeType || t == dateType {
			h = true
			break
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && holdsChecks(f.Type) {
				h = true
				break
			}
		}
	}
	holdsCache.Store(t, h)
	return h
}

// realDay reports whether d names a day that exists: time.Date would move
// 30 February to 2 March.
func realDay(d calendar.Date) bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 &&
		calendar.DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) == d
}
