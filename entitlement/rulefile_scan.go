package entitlement

import (
	"bytes"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// A rule file's bytes are checked before any parser reads them, so that
// what a parser would silently change (encoding/json turns a bad byte into
// U+FFFD) or report without a place (the YAML library's depth and UTF-8
// errors) is refused here, with its line.

// lineCounter turns byte offsets into line numbers without a table:
// offsets asked for in document order are counted forward from the last
// one, so a pass over the document counts each line feed once, and memory
// does not grow with the number of lines. An earlier offset (only an error
// asks for one) is counted again from the start.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func newLineCounter(data []byte) *lineCounter { return &lineCounter{data: data, line: 1} }

// at returns the 1-based line of the byte at off.
func (c *lineCounter) at(off int64) int {
	o := int(min(max(off, 0), int64(len(c.data))))
	if o < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:o], []byte{'\n'})
	c.off = o
	return c.line
}

// checkUTF8 refuses a document that is not valid UTF-8, naming the first
// bad byte and its line (rule "utf8").
func checkUTF8(data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	off := 0
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	return errs.Invalid("", "utf8", "line %d: byte 0x%02X is not valid UTF-8; save the file as UTF-8",
		bytes.Count(data[:off], []byte{'\n'})+1, data[off])
}

// yamlDepthWithin reports whether a YAML document's nesting, as its bytes
// show it, stays within limit and, if not, the line where it goes deeper.
// It counts flow brackets ("[", "{") outside quotes and comments, and the
// levels of block indentation: a line indented deeper than the one before
// opens a level only when that line ended with "key:" or "-" (otherwise it
// continues a text), and a "- " item opens one level more. It skips the
// lines of block scalars ("|", ">"). It never counts more levels than the
// parsed document has, so a document it passes may still be refused, with
// its line, by the check on the parsed nodes.
func yamlDepthWithin(data []byte, limit int) (line int, ok bool) {
	var indents []int  // columns of the open block levels
	flow := 0          // open flow brackets
	scalarIndent := -1 // lines indented deeper than this belong to a block scalar
	opens := true      // the last line counted ended with "key:" or "-" (or there was none)
	for n, rest := 1, data; len(rest) > 0; n++ {
		var ln []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			ln, rest = rest[:i], rest[i+1:]
		} else {
			ln, rest = rest, nil
		}
		col, value := 0, true
		for col < len(ln) && ln[col] == ' ' {
			col++
		}
		blank := col == len(ln) || ln[col] == '#' || ln[col] == '\r'
		if scalarIndent >= 0 {
			if blank || col > scalarIndent {
				continue
			}
			scalarIndent = -1
		}
		if blank {
			continue
		}
		if flow == 0 {
			if len(indents) > 0 && col > indents[len(indents)-1] && !opens {
				continue // the continuation of a text
			}
			for len(indents) > 0 && indents[len(indents)-1] > col {
				indents = indents[:len(indents)-1]
			}
			if len(indents) == 0 || indents[len(indents)-1] < col {
				indents = append(indents, col)
			}
			item := false
			for col+1 < len(ln) && ln[col] == '-' && ln[col+1] == ' ' {
				item = true
				col += 2
				for col < len(ln) && ln[col] == ' ' {
					col++
				}
				indents = append(indents, col)
			}
			if len(indents) > limit {
				return n, false
			}
			// A bracket that starts a line opens a flow collection only
			// where a value may start; elsewhere the line is text.
			value = opens || item
		}
		var ok bool
		flow, ok = yamlFlowLine(ln[col:], flow, value, len(indents), limit)
		if !ok {
			return n, false
		}
		if flow == 0 {
			if yamlBlockScalar(ln) {
				scalarIndent = col
			}
			end := yamlContent(ln)
			opens = bytes.HasSuffix(end, []byte(":")) || bytes.Equal(bytes.TrimSpace(end), []byte("-"))
		}
	}
	return 0, true
}

// yamlContent is a line without its trailing comment and spaces.
func yamlContent(ln []byte) []byte {
	if i := bytes.Index(ln, []byte(" #")); i >= 0 {
		ln = ln[:i]
	}
	return bytes.TrimRight(ln, " \t\r")
}

// yamlFlowLine follows the flow brackets of one line from depth flow, with
// block levels already open and value telling whether the line starts
// where a value may, and reports the depth at its end and whether
// the limit held. Outside brackets, only a bracket that starts a value
// opens a flow collection ("a [b]" is text).
func yamlFlowLine(ln []byte, flow int, value bool, block, limit int) (int, bool) {
	var quote byte
	prev := byte(0) // the last byte that is not a space, 0 at the start
	for i := 0; i < len(ln); i++ {
		c := ln[i]
		// Where a value may start: after "[", "{" or "," inside brackets,
		// at the start of a line that may hold one, or after ": ".
		start := (i == 0 && (value || flow > 0)) ||
			(flow > 0 && bytes.IndexByte([]byte("[{,:"), prev) >= 0) ||
			(i > 0 && prev == ':' && (ln[i-1] == ' ' || ln[i-1] == '\t'))
		switch {
		case quote == '"' && c == '\\':
			i++
			continue
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		case c == '#' && (i == 0 || ln[i-1] == ' ' || ln[i-1] == '\t'):
			return flow, true
		case (c == '"' || c == '\'') && start:
			quote = c
		case (c == '[' || c == '{') && (flow > 0 || start):
			flow++
			if flow+block > limit {
				return flow, false
			}
		case (c == ']' || c == '}') && flow > 0:
			flow--
		}
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
	return flow, true
}

// yamlBlockScalar reports whether a line ends with a block scalar header
// ("key: |", "- >-", "key: |2+"), whose following lines are text.
func yamlBlockScalar(ln []byte) bool {
	ln = yamlContent(ln)
	i := len(ln)
	for i > 0 && (ln[i-1] == '-' || ln[i-1] == '+' || (ln[i-1] >= '1' && ln[i-1] <= '9')) {
		i--
	}
	if i == 0 || (ln[i-1] != '|' && ln[i-1] != '>') {
		return false
	}
	return i == 1 || ln[i-2] == ' '
}
