package validate

import (
	"reflect"
	"strconv"
	"strings"
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

// CheckDate adds an error to c when d is set and lies outside the years
// calendar.MinYear to calendar.MaxYear.
func CheckDate(c *errs.Collector, field string, d calendar.Date) {
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
// first.
func Input(v any) error {
	var c errs.Collector
	walk(&c, "", reflect.ValueOf(v), 0)
	return c.Err()
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(calendar.Date{})
)

func walk(c *errs.Collector, path string, v reflect.Value, depth int) {
	if !v.IsValid() || depth > maxDepth {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(c, path, v.Elem(), depth+1)
		}
	case reflect.String:
		CheckText(c, path, v.String())
	case reflect.Struct:
		switch v.Type() {
		case timeType:
			CheckTime(c, path, v.Interface().(time.Time))
			return
		case dateType:
			CheckDate(c, path, v.Interface().(calendar.Date))
			return
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				walk(c, path, v.Field(i), depth+1)
				continue
			}
			walk(c, join(path, name), v.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 { // bytes are content, not text
			return
		}
		for i := range v.Len() {
			walk(c, path+"["+strconv.Itoa(i)+"]", v.Index(i), depth+1)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			key := ""
			if k.Kind() == reflect.String {
				key = k.String()
				if rule, _ := TextProblem(key); rule != "" {
					c.Add(path, "text", "has a key that is not acceptable text")
					continue
				}
			}
			walk(c, path+"["+strconv.Quote(key)+"]", iter.Value(), depth+1)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
