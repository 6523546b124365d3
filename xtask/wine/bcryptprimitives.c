/*
 * ProcessPrng for Wine 8, which has no bcryptprimitives.dll: the Rust standard library of a
 * Windows program asks it for random bytes (hash maps, tempfile names, keys). This stands in
 * with RtlGenRandom, Wine's system random source. It lives only in the test Wine prefix's
 * system32 (xtask/wine/run puts it there); real Windows has its own, and no installer ships it.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
