package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// TempPrefix starts the names of the temporary files a local Sink writes
// before renaming them into place. The names carry no part of the key.
const TempPrefix = ".veil-tmp-"

// Local is a folder on the local file system. It is both a Source and a
// Sink; methods are safe for concurrent use.
type Local struct {
	root string
	// deferred, once DeferSync is called: Put does not sync, and pending
	// counts the files written since the last Sync.
	mu       sync.Mutex
	deferred bool
	pending  int
}

var (
	_ Source = (*Local)(nil)
	_ Sink   = (*Local)(nil)
	_ Syncer = (*Local)(nil)
)

// DeferSync makes Put leave its file to the next Sync rather than syncing
// it itself: one sync of the file system for a batch of files, instead of
// one per file (about 1.6 ms each on the test machine, and on the worker's
// path). Whoever records a file as done must call Sync first (the resume
// journal does, before each segment it writes).
func (l *Local) DeferSync() {
	l.mu.Lock()
	l.deferred = true
	l.mu.Unlock()
}

// Sync implements Syncer: every file Put has written so far is durable
// when it returns (with DeferSync; without it, Put synced each already).
func (l *Local) Sync(ctx context.Context) error {
	l.mu.Lock()
	n := l.pending
	l.mu.Unlock()
	if n == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Puts that return meanwhile may or may not be covered: they stay
	// counted for the next Sync.
	if err := syncFS(l.root); err != nil {
		return fmt.Errorf("sync: %w", stripPath(err))
	}
	l.mu.Lock()
	l.pending -= n
	l.mu.Unlock()
	return nil
}

// NewLocal returns the folder at root. It does not create it.
func NewLocal(root string) (*Local, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("local storage: %w", err)
	}
	return &Local{root: abs}, nil
}

// Root returns the absolute path of the folder.
func (l *Local) Root() string { return l.root }

// String implements Source and Sink.
func (l *Local) String() string { return l.root }

func (l *Local) path(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Walk implements Source. Its errors hold no part of the path (the root
// folder too can be named after a client). Directories are read one at a time and entries
// sorted so that keys come in byte order, as S3 lists them: a directory
// "a" sorts as "a/", after "a-b" and "a.txt". Temporary files of an
// interrupted write (TempPrefix) are skipped.
func (l *Local) Walk(ctx context.Context, fn func(Object) error) error {
	info, err := os.Stat(l.root)
	if err != nil {
		return fmt.Errorf("walk: %w", stripPath(err))
	}
	if !info.IsDir() {
		return fmt.Errorf("walk: not a folder")
	}
	return l.walkDir(ctx, "", fn)
}

func (l *Local) walkDir(ctx context.Context, prefix string, fn func(Object) error) error {
	dir := filepath.Join(l.root, filepath.FromSlash(prefix))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("walk: %w", stripPath(err))
	}
	type ent struct {
		sortKey string
		e       fs.DirEntry
	}
	es := make([]ent, 0, len(entries))
	for _, e := range entries {
		k := e.Name()
		if e.IsDir() {
			k += "/"
		}
		es = append(es, ent{k, e})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].sortKey < es[j].sortKey })
	for _, x := range es {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := x.e.Name()
		key := prefix + name
		switch {
		case x.e.IsDir():
			if err := l.walkDir(ctx, key+"/", fn); err != nil {
				return err
			}
			continue
		case strings.HasPrefix(name, TempPrefix):
			continue
		}
		obj := Object{Key: key, Size: -1}
		if x.e.Type().IsRegular() {
			info, err := x.e.Info()
			if err != nil {
				return fmt.Errorf("walk: %w", stripPath(err))
			}
			obj.Size, obj.ModTime = info.Size(), info.ModTime()
			obj.ETag = localETag(info)
		}
		if err := fn(obj); err != nil {
			return err
		}
	}
	return nil
}

// localETag fingerprints a local file for resume and for the second
// pass's reuse of the first pass's bytes (pipeline keptInputs): the size
// and the modification time, and where the system gives them (etagInode)
// the inode's change time, number and device. The modification time alone
// is not enough: a copy tool or os.Chtimes can set it back after a
// rewrite of the same size, and the old bytes would be taken for the new.
// The change time cannot be set by a process (utimes(2) sets it to now),
// so such a rewrite changes the fingerprint, unless it happens within the
// same tick of the kernel's coarse clock as the listing before it.
func localETag(info fs.FileInfo) string {
	s := strconv.FormatInt(info.Size(), 10) + "/" + strconv.FormatInt(info.ModTime().UnixNano(), 10)
	if in := etagInode(info); in != "" {
		s += "/" + in
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// Open implements Source and Sink. It refuses anything but regular files
// (see openRegular: a symbolic link is not followed). The reader's errors
// do not carry the path: an EIO on an NFS share would otherwise put the
// original name ("…/intake_Orsolya_Quillanby.txt") into the report.
//
// The reader is a bare file descriptor (rawFile): its Close must not run
// while a Read is in progress, nor a Read after Close, on another
// goroutine. The number of a closed descriptor is handed to the next
// open(2) of the process, and a Read racing with Close could read another
// file's bytes (unlike os.File, there is no poller to fence it). Read,
// then Close, from one goroutine (every caller in the pipeline, state and
// cmd/veil does: a deferred Close after the read).
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, _, err := openRegular(p)
	if err != nil {
		return nil, wrapNotExist(err)
	}
	return f, nil
}

// Exists implements Source: anything at key counts (a file, a symlink, a
// folder). A path through a file ("a.txt/b") does not exist.
func (l *Local) Exists(ctx context.Context, key string) (bool, error) {
	p, err := l.path(key)
	if err != nil {
		return false, err
	}
	_, err = os.Lstat(p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return false, nil
	}
	return false, fmt.Errorf("exists: %w", stripPath(err))
}

// Put implements Sink: the content goes to a new temporary file in the
// target folder (TempPrefix and a random number: no part of the key), is
// synced (unless DeferSync), then renamed over key. The folder is created
// only when the temporary file cannot be, for want of it: one open, the
// writes, a close and a rename per file, and no check of the folder or of
// the target before.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (err error) {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	tmp, name, err := createTemp(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("put: %w", stripPath(err))
		}
		tmp, name, err = createTemp(dir)
	}
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			removeFile(name)
		}
	}()
	var n int64
	if m, ok := r.(inMemory); ok && ctx.Err() == nil {
		// bytes.Reader and the like: one write, no copy buffer
		n, err = m.WriteTo(tmp)
	} else {
		n, err = io.Copy(tmp, ctxReader{ctx, r})
	}
	if err != nil {
		return fmt.Errorf("put: %w", stripPath(err))
	}
	if size >= 0 && n != size {
		return fmt.Errorf("put: wrote %d bytes, expected %d", n, size)
	}
	l.mu.Lock()
	deferred := l.deferred
	l.mu.Unlock()
	if !deferred {
		if err := tmp.Sync(); err != nil {
			return fmt.Errorf("put: %w", err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if err := renameFile(name, p); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if deferred {
		l.mu.Lock()
		l.pending++
		l.mu.Unlock()
	}
	return nil
}

// inMemory is a reader over bytes held in memory (bytes.Reader,
// strings.Reader, bytes.Buffer): it cannot be slow or endless, so Put
// hands its bytes to the file in one write rather than copying them
// through a buffer with a check of the context before each read.
type inMemory interface {
	Len() int
	io.WriterTo
}

// Stat implements Sink.
func (l *Local) Stat(ctx context.Context, key string) (Object, error) {
	p, err := l.path(key)
	if err != nil {
		return Object{}, err
	}
	info, err := os.Stat(p)
	if err != nil {
		return Object{}, wrapNotExist(err)
	}
	if !info.Mode().IsRegular() {
		return Object{}, fmt.Errorf("stat: not a regular file")
	}
	return Object{Key: key, Size: info.Size(), ModTime: info.ModTime(), ETag: localETag(info)}, nil
}

// Delete implements Sink.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete: %w", stripPath(err))
	}
	return nil
}

// RemoveStaleTemp deletes temporary files left by an interrupted run. Its
// errors hold no part of the path.
func (l *Local) RemoveStaleTemp() error {
	err := filepath.WalkDir(l.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), TempPrefix) {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove temporary files: %w", stripPath(err))
	}
	return nil
}

func wrapNotExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotExist
	}
	return stripPath(err)
}

// stripPath drops the file path from OS errors: a path holds the key, and a
// key may hold identifying words ("intake_Maria_Sandoval.txt").
func stripPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
}

// ContextReader returns a reader that fails with ctx's error once ctx is
// done, so that a copy from a slow or endless reader stops with the run.
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
