package validate_test

import (
	"errors"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

func ExampleStruct() {
	type Applicant struct {
		Enterprise string `json:"enterprise" validate:"required,kbo"`
		Account    string `json:"iban" validate:"required,iban"`
		PostalCode string `json:"postal_code" validate:"required,be_postcode"`
	}
	err := validate.Struct(Applicant{Enterprise: "0202.239.952", Account: "BE68 5390 0754 7034"})
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Printf("%s (%s): %s\n", f.Field, f.Rule, f.Message)
		}
	}
	// Output:
	// enterprise (kbo): must be a valid enterprise number (0123.456.789)
	// postal_code (required): is required
}
