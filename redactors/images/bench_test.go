package images_test

import (
	"bytes"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr"
)

// BenchmarkOCRRedactVerify runs the corpus of TestCorpus (5 pages: 150,
// 200 and 300 dpi, a two-page fax) through parse (OCR), redact and
// verification (the two independent readings and the fuzzy search), with
// one and two files at a time, as the worker pool would. It reports pages
// per second, CPU seconds per page (this process and its tesseract
// children: the number that does not depend on what else the machine
// runs), the Go heap's peak and the largest tesseract process.
//
//	go test ./redactors/images -run '^$' -bench OCRRedactVerify -benchtime 2x
func BenchmarkOCRRedactVerify(b *testing.B) {
	requireOCR(b)
	scans := corpus(b)
	pages := 0
	for _, sc := range scans {
		pages += len(sc.pages)
	}
	for _, workers := range []int{1, 2} {
		b.Run("workers="+string(rune('0'+workers)), func(b *testing.B) {
			eng := ocr.NewTesseract(ocr.TesseractOptions{Concurrency: workers})
			f := images.New(images.Options{Engine: eng})
			var peakHeap atomic.Uint64
			stop := make(chan struct{})
			go func() { // sample the heap
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peakHeap.Load() {
						peakHeap.Store(m.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
			}()
			b.ResetTimer()
			cpu0 := cpuTime()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				work := make(chan scan)
				var wg sync.WaitGroup
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for sc := range work {
							doc, err := f.Parse(sc.data)
							if err != nil {
								b.Error(err)
								continue
							}
							var out bytes.Buffer
							if err := doc.Redact(&out, detect(doc.Parts(), sc.ids, label)); err != nil {
								b.Error(err)
								continue
							}
							c, err := doc.(*images.Document).VerifyOutput(b.Context(), out.Bytes(), sc.ids)
							if err != nil || c.Err(images.LowConfBlank) != nil {
								b.Errorf("verify: %v %v", err, c.Err(images.LowConfBlank))
							}
						}
					}()
				}
				for _, sc := range scans {
					work <- sc
				}
				close(work)
				wg.Wait()
			}
			el := time.Since(start)
			cpu := cpuTime() - cpu0
			b.StopTimer()
			close(stop)
			b.ReportMetric(float64(pages*b.N)/el.Seconds(), "pages/s")
			b.ReportMetric(cpu.Seconds()/float64(pages*b.N), "cpu-s/page")
			b.ReportMetric(float64(peakHeap.Load())/(1<<20), "heap-MiB")
			b.ReportMetric(float64(eng.PeakRSS())/(1<<20), "tesseract-MiB")
		})
	}
}

// cpuTime is the CPU time (user and system) of this process and of its
// waited-for children.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}
