package sqliteapi

// Functions is the declaration table, for the tests.
var Functions = functions
