// Package validate holds the one struct validator every bouwstenen package
// uses, with the Belgian rules registered, and turns its findings into an
// *errs.ValidationError that names each field by its JSON name.
//
// Custom tags:
//
//	iban        an IBAN in electronic or printed form (mod 97-10, and the Belgian national check)
//	ogm         a Belgian structured communication (+++ddd/dddd/ddddd+++)
//	insz        a Belgian national register or BIS number
//	kbo         a Belgian enterprise number
//	be_postcode a Belgian postal code
//	euro        a decimal.Decimal amount, not negative, at most two decimals
package validate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/iban"
)

var v = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			return ""
		case "":
			return f.Name
		}
		return name
	})
	str := func(check func(string) bool) validator.Func {
		return func(fl validator.FieldLevel) bool {
			f := fl.Field()
			return f.Kind() == reflect.String && check(f.String())
		}
	}
	must(v.RegisterValidation("iban", str(func(s string) bool { return iban.Check(iban.Normalize(s)) == nil })))
	must(v.RegisterValidation("ogm", str(OGM)))
	must(v.RegisterValidation("insz", str(INSZ)))
	must(v.RegisterValidation("kbo", str(KBO)))
	must(v.RegisterValidation("be_postcode", str(PostalCode)))
	must(v.RegisterValidation("euro", func(fl validator.FieldLevel) bool {
		f := fl.Field()
		if !f.IsValid() { // a zero amount, which the type func hands over as nil
			return true
		}
		if f.Kind() != reflect.String {
			return false
		}
		d, err := decimal.NewFromString(f.String())
		return err == nil && Euro(d)
	}))
	// A decimal.Decimal is a struct to the validator; hand it over as its
	// string, or nil when zero, so "required" and "euro" see its value.
	v.RegisterCustomTypeFunc(func(f reflect.Value) any {
		d := f.Interface().(decimal.Decimal)
		if d.IsZero() {
			return nil
		}
		return d.String()
	}, decimal.Decimal{})
	return v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Euro reports whether d is a valid amount in euro: not negative and with
// at most two decimals.
func Euro(d decimal.Decimal) bool {
	return !d.IsNegative() && d.Equal(d.Truncate(2))
}

// Struct validates s by its `validate` tags and returns nil or an
// *errs.ValidationError listing every broken rule.
//
// It runs Input too, so every text field is acceptable text and every
// date lies within the calendar's horizon.
func Struct(s any) error {
	err := v.Struct(s)
	inputErr := Input(s)
	if err == nil {
		return inputErr
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return fmt.Errorf("validate: %w", err)
	}
	out := &errs.ValidationError{Fields: make([]errs.FieldError, 0, len(ves))}
	defer func() {
		var ie *errs.ValidationError
		if errors.As(inputErr, &ie) {
			out.Fields = append(out.Fields, ie.Fields...)
		}
	}()
	for _, fe := range ves {
		out.Fields = append(out.Fields, errs.FieldError{
			Field:   fieldPath(fe.Namespace()),
			Rule:    fe.Tag(),
			Param:   fe.Param(),
			Message: message(fe),
		})
	}
	return out
}

// fieldPath drops the struct name that starts a namespace: "Input.requester.email" → "requester.email".
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

func message(fe validator.FieldError) string {
	p := fe.Param()
	isText := fe.Kind() == reflect.String
	switch fe.Tag() {
	case "required", "required_with", "required_without", "required_if", "required_unless":
		return "is required"
	case "max":
		if isText {
			return "must be at most " + p + " characters"
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return "must have at most " + p + " items"
		}
		return "must be at most " + p
	case "min":
		if isText {
			return "must be at least " + p + " characters"
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return "must have at least " + p + " items"
		}
		return "must be at least " + p
	case "len":
		return "must be exactly " + p + " long"
	case "gt":
		return "must be greater than " + p
	case "gte":
		return "must be " + p + " or more"
	case "lt":
		return "must be less than " + p
	case "lte":
		return "must be " + p + " or less"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "email":
		return "must be an e-mail address"
	case "url", "uri", "http_url":
		return "must be a web address"
	case "latitude":
		return "must be a latitude between -90 and 90"
	case "longitude":
		return "must be a longitude between -180 and 180"
	case "iban":
		return "must be a valid IBAN (check the digits)"
	case "ogm":
		return "must be a valid structured communication (+++123/4567/89012+++)"
	case "insz":
		return "must be a valid national register number (11 digits, check digits included)"
	case "kbo":
		return "must be a valid enterprise number (0123.456.789)"
	case "be_postcode":
		return "must be a Belgian postal code (4 digits)"
	case "euro":
		return "must be an amount in euro, not negative, with at most two decimals"
	case "uuid", "uuid4", "uuid7":
		return "must be a valid identifier"
	case "dive":
		return "is not valid"
	}
	if p != "" {
		return fmt.Sprintf("breaks rule %s=%s", fe.Tag(), p)
	}
	return "breaks rule " + fe.Tag()
}
