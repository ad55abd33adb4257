#include "textflag.h"

// Linux amd64 system call numbers and clone flags.
#define SYS_read 0
#define SYS_rt_sigprocmask 14
#define SYS_clone 56
#define SYS_exit 60
#define SIG_SETMASK 2
// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|
// CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID
#define CLONE_FLAGS 0x350f00

// func cloneReader(fd int32, word *uint64, stop *uint32, stack uintptr, tid *int32, table *Table) int64
//
// cloneReader starts a thread that the Go runtime does not know: with every signal
// blocked, it reads 8 bytes from fd into word until it finds *stop non-zero after a
// read, then exits (the kernel clears *tid and wakes its futex). After each read, when
// table is not nil, it adds one to the table's busy counter (a locked add), stores
// PreemptBound (all ones) in the word each of the first n cells names, and takes the
// one off again (table.go). It uses no stack and
// calls nothing, so it needs neither a g nor an m. The calling thread blocks every
// signal around the clone (the new thread inherits that mask) and restores its own.
// It returns the thread's id, or minus the errno of the clone.
TEXT ·cloneReader(SB),NOSPLIT,$16-56
	MOVQ	$-1, AX
	MOVQ	AX, 0(SP)	// the new mask: every signal
	MOVQ	$SYS_rt_sigprocmask, AX
	MOVQ	$SIG_SETMASK, DI
	LEAQ	0(SP), SI
	LEAQ	8(SP), DX	// the old mask
	MOVQ	$8, R10
	SYSCALL

	MOVL	fd+0(FP), R12
	MOVQ	word+8(FP), R13
	MOVQ	stop+16(FP), BX
	MOVQ	table+40(FP), R9	// neither clone nor read uses R9
	MOVQ	$SYS_clone, AX
	MOVQ	$CLONE_FLAGS, DI
	MOVQ	stack+24(FP), SI
	MOVQ	tid+32(FP), DX	// parent_tid
	MOVQ	tid+32(FP), R10	// child_tid
	MOVQ	$0, R8	// tls
	SYSCALL
	CMPQ	AX, $0
	JEQ	reader
	MOVQ	AX, ret+48(FP)

	MOVQ	$SYS_rt_sigprocmask, AX
	MOVQ	$SIG_SETMASK, DI
	LEAQ	8(SP), SI
	MOVQ	$0, DX
	MOVQ	$8, R10
	SYSCALL
	RET

reader:
	// The new thread: registers only, no stack.
	MOVQ	$SYS_read, AX
	MOVQ	R12, DI
	MOVQ	R13, SI
	MOVQ	$8, DX
	SYSCALL
	TESTQ	R9, R9
	JEQ	check
	MOVQ	0(R9), R10	// busy
	LOCK
	INCL	(R10)	// a full barrier
	MOVQ	8(R9), CX	// n
	LEAQ	16(R9), DX	// &cells[0]
scan:
	TESTQ	CX, CX
	JEQ	scanned
	MOVQ	(DX), SI
	TESTQ	SI, SI
	JEQ	next
	MOVQ	$-1, (SI)	// PreemptBound
next:
	ADDQ	$16, DX	// a cell is two words: the target, the pending word
	DECQ	CX
	JMP	scan
scanned:
	LOCK
	DECL	(R10)	// after the stores (x86 keeps stores in order)
check:
	MOVL	(BX), AX
	CMPL	AX, $0
	JEQ	reader
	MOVQ	$SYS_exit, AX
	MOVQ	$0, DI
	SYSCALL
	JMP	reader	// not reached
