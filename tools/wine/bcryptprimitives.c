/*
 * A stand-in for Windows' bcryptprimitives.dll, for running lunatic.exe under Wine only.
 * Go programs (Go >= 1.22) load ProcessPrng from that DLL when they start, and Wine 8
 * (Debian 12) does not ship it. This one fills the buffer with RtlGenRandom
 * (advapi32!SystemFunction036), the generator Go used before. tools/portable.sh builds it
 * with mingw-w64 and puts it in the Wine prefix; it is never part of lunatic.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
