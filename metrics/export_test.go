package metrics

// Unexported names the tests of package metrics_test use.
var (
	GuestBuckets = guestBuckets
	SanitizeName = sanitizeName
)

const MaxGuestNameLen = maxGuestNameLen
