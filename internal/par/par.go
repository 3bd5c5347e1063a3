// Package par runs a loop body on a bounded number of goroutines.
package par

import "sync"

// For calls fn(i) once for every i in [0, n) on at most workers goroutines
// (at least one) and returns when every call has returned. The calls'
// order is not defined; fn must be safe to run concurrently with itself.
func For(n, workers int, fn func(i int)) {
	workers = max(1, min(workers, n))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
