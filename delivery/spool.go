package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// spool is the folder behind a durable PrintBatch:
//
//	letters/<seq>.json   a letter sent and not yet in a written batch
//	handed/<sha256(key)> the key of a letter already in a written batch
//
// Every file is written to a temporary name, synced and renamed, and the
// folder synced, so a letter Send reported is on disk.
type spool struct {
	dir     string
	lastSeq int
}

type spooled struct {
	Item    PrintItem `json:"item"`
	Message Message   `json:"message"`
	Receipt Receipt   `json:"receipt"`
}

func openSpool(dir string) (*spool, []spooled, []string, error) {
	for _, sub := range []string{"letters", "handed"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return nil, nil, nil, fmt.Errorf("delivery: print spool: %w", err)
		}
	}
	sp := &spool{dir: dir}
	names, err := os.ReadDir(filepath.Join(dir, "letters"))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("delivery: print spool: %w", err)
	}
	var letters []spooled
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue // a temporary file a crash left
		}
		raw, err := os.ReadFile(filepath.Join(dir, "letters", e.Name()))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("delivery: print spool: %w", err)
		}
		var l spooled
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, nil, nil, fmt.Errorf("delivery: print spool: letter %s: %w", e.Name(), err)
		}
		letters = append(letters, l)
	}
	sort.Slice(letters, func(i, j int) bool { return letters[i].Item.Seq < letters[j].Item.Seq })
	handedDir, err := os.ReadDir(filepath.Join(dir, "handed"))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("delivery: print spool: %w", err)
	}
	var handed []string
	for _, e := range handedDir {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, "handed", e.Name()))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("delivery: print spool: %w", err)
		}
		key, seqText, _ := strings.Cut(string(raw), "\n")
		handed = append(handed, key)
		if n, err := strconv.Atoi(strings.TrimSpace(seqText)); err == nil {
			sp.lastSeq = max(sp.lastSeq, n)
		}
	}
	return sp, letters, handed, nil
}

func (s *spool) letterPath(seq int) string {
	return filepath.Join(s.dir, "letters", fmt.Sprintf("%012d.json", seq))
}

func (s *spool) put(l spooled) error {
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return writeDurably(s.letterPath(l.Item.Seq), raw)
}

// handOver records the letters as written in a batch, then removes them.
func (s *spool) handOver(items []PrintItem) error {
	for _, it := range items {
		sum := sha256.Sum256([]byte(it.Key))
		if err := writeDurably(filepath.Join(s.dir, "handed", hex.EncodeToString(sum[:])), []byte(it.Key+"\n"+strconv.Itoa(it.Seq))); err != nil {
			return err
		}
	}
	for _, it := range items {
		if err := os.Remove(s.letterPath(it.Seq)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return syncDir(filepath.Join(s.dir, "letters"))
}

func writeDurably(path string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
