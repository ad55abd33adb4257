package wazevo

// numSavedRegisters is the size of executionContext.savedRegisters: the most registers
// an amd64 trampoline saves there is 29 (stackGrowSaveVRegs).
const numSavedRegisters = 32
