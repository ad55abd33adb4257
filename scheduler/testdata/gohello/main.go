// Command gohello is a small GOOS=wasip1 guest for the scheduler's corpus
// tests: it prints its arguments, some formatted values and a few lines.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println("hello from wasip1")
	fmt.Printf("args: %q\n", os.Args[1:])
	for i := range 5 {
		fmt.Printf("%d: %s %v %.3f %x\n", i, strings.Repeat("*", i), i%2 == 0, float64(i)/3, i*255)
	}
	var sb strings.Builder
	for _, w := range strings.Fields("the quick brown fox jumps over the lazy dog") {
		sb.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	fmt.Println(sb.String())
	fmt.Fprintln(os.Stderr, "done")
}
