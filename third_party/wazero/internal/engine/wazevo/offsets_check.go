package wazevo

import (
	"unsafe"

	"github.com/tetratelabs/wazero/internal/engine/wazevo/wazevoapi"
)

// The compiled code addresses executionContext fields through the wazevoapi offsets:
// each pair of lines fails to compile (a negative array length) unless the Go layout
// and the constant agree. Added with the lunatic patch that moved savedRegisters to the end.
var (
	_ [int64(unsafe.Offsetof(executionContext{}.exitCode)) - int64(wazevoapi.ExecutionContextOffsetExitCodeOffset)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetExitCodeOffset) - int64(unsafe.Offsetof(executionContext{}.exitCode))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.callerModuleContextPtr)) - int64(wazevoapi.ExecutionContextOffsetCallerModuleContextPtr)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetCallerModuleContextPtr) - int64(unsafe.Offsetof(executionContext{}.callerModuleContextPtr))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.originalFramePointer)) - int64(wazevoapi.ExecutionContextOffsetOriginalFramePointer)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetOriginalFramePointer) - int64(unsafe.Offsetof(executionContext{}.originalFramePointer))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.originalStackPointer)) - int64(wazevoapi.ExecutionContextOffsetOriginalStackPointer)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetOriginalStackPointer) - int64(unsafe.Offsetof(executionContext{}.originalStackPointer))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.goReturnAddress)) - int64(wazevoapi.ExecutionContextOffsetGoReturnAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetGoReturnAddress) - int64(unsafe.Offsetof(executionContext{}.goReturnAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.stackBottomPtr)) - int64(wazevoapi.ExecutionContextOffsetStackBottomPtr)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetStackBottomPtr) - int64(unsafe.Offsetof(executionContext{}.stackBottomPtr))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.goCallReturnAddress)) - int64(wazevoapi.ExecutionContextOffsetGoCallReturnAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetGoCallReturnAddress) - int64(unsafe.Offsetof(executionContext{}.goCallReturnAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.stackPointerBeforeGoCall)) - int64(wazevoapi.ExecutionContextOffsetStackPointerBeforeGoCall)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetStackPointerBeforeGoCall) - int64(unsafe.Offsetof(executionContext{}.stackPointerBeforeGoCall))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.stackGrowRequiredSize)) - int64(wazevoapi.ExecutionContextOffsetStackGrowRequiredSize)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetStackGrowRequiredSize) - int64(unsafe.Offsetof(executionContext{}.stackGrowRequiredSize))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.memoryGrowTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetMemoryGrowTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetMemoryGrowTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.memoryGrowTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.stackGrowCallTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetStackGrowCallTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetStackGrowCallTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.stackGrowCallTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.checkModuleExitCodeTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetCheckModuleExitCodeTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetCheckModuleExitCodeTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.checkModuleExitCodeTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.savedRegisters)) - int64(wazevoapi.ExecutionContextOffsetSavedRegistersBegin)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetSavedRegistersBegin) - int64(unsafe.Offsetof(executionContext{}.savedRegisters))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.goFunctionCallCalleeModuleContextOpaque)) - int64(wazevoapi.ExecutionContextOffsetGoFunctionCallCalleeModuleContextOpaque)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetGoFunctionCallCalleeModuleContextOpaque) - int64(unsafe.Offsetof(executionContext{}.goFunctionCallCalleeModuleContextOpaque))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.tableGrowTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetTableGrowTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetTableGrowTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.tableGrowTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.refFuncTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetRefFuncTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetRefFuncTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.refFuncTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.memmoveAddress)) - int64(wazevoapi.ExecutionContextOffsetMemmoveAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetMemmoveAddress) - int64(unsafe.Offsetof(executionContext{}.memmoveAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.framePointerBeforeGoCall)) - int64(wazevoapi.ExecutionContextOffsetFramePointerBeforeGoCall)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetFramePointerBeforeGoCall) - int64(unsafe.Offsetof(executionContext{}.framePointerBeforeGoCall))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.memoryWait32TrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetMemoryWait32TrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetMemoryWait32TrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.memoryWait32TrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.memoryWait64TrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetMemoryWait64TrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetMemoryWait64TrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.memoryWait64TrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.memoryNotifyTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetMemoryNotifyTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetMemoryNotifyTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.memoryNotifyTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.throwAllocTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetThrowAllocTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetThrowAllocTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.throwAllocTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.throwTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetThrowTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetThrowTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.throwTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.tryTableEnterTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetTryTableEnterTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetTryTableEnterTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.tryTableEnterTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.tryTableLeaveTrampolineAddress)) - int64(wazevoapi.ExecutionContextOffsetTryTableLeaveTrampolineAddress)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetTryTableLeaveTrampolineAddress) - int64(unsafe.Offsetof(executionContext{}.tryTableLeaveTrampolineAddress))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.exceptionPtr)) - int64(wazevoapi.ExecutionContextOffsetExceptionPtr)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetExceptionPtr) - int64(unsafe.Offsetof(executionContext{}.exceptionPtr))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.exceptionParamsPtr)) - int64(wazevoapi.ExecutionContextOffsetExceptionParamsPtr)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetExceptionParamsPtr) - int64(unsafe.Offsetof(executionContext{}.exceptionParamsPtr))]struct{}
	_ [int64(unsafe.Offsetof(executionContext{}.caughtExceptionClauseIdx)) - int64(wazevoapi.ExecutionContextOffsetCaughtExceptionClauseIdx)]struct{}
	_ [int64(wazevoapi.ExecutionContextOffsetCaughtExceptionClauseIdx) - int64(unsafe.Offsetof(executionContext{}.caughtExceptionClauseIdx))]struct{}
)

// callEngineLayout fails to compile unless executionContext starts at a multiple of 16
// bytes in a callEngine (heap objects of 16 bytes and more are 16-byte aligned), so that
// its savedRegisters stay 16-byte aligned. Added with the lunatic patch that reordered
// the fields of callEngine.
var _ [-int64(unsafe.Offsetof(callEngine{}.execCtx) % 16)]struct{}
