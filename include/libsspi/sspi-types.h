/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sspi-types.h - Windows base types used by the libsspi public headers.
 *
 * Every type has the width it has on 64-bit Windows, expressed with
 * <stdint.h> types so that LP64 Linux agrees: ULONG/DWORD/LONG are
 * 32-bit, BOOLEAN is one byte, WCHAR is a 16-bit UTF-16 code unit
 * (char16_t), ULONG_PTR and handles are pointer-sized.
 *
 * Programs that already define these types through their own Windows
 * compatibility header can keep it: each group is skipped when the
 * usual Windows include guard of its home header (_WINDEF_, _WINNT_,
 * _NTDEF_, GUID_DEFINED, ...) is already defined.  The size checks at
 * the end refuse definitions with the wrong width.
 */
#ifndef LIBSSPI_SSPI_TYPES_H
#define LIBSSPI_SSPI_TYPES_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__cplusplus)
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#include <uchar.h>
#elif !defined(LIBSSPI_CHAR16_T_DEFINED)
#define LIBSSPI_CHAR16_T_DEFINED 1
typedef uint_least16_t char16_t;
#endif
#endif

/* u"..." literals (and so the W string macros) need C11 or C++11. */
#if (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L) ||                                  \
    (defined(__cplusplus) && __cplusplus >= 201103L)
#define LIBSSPI_HAVE_U16_LITERALS 1
#endif

#if defined(__GNUC__)
#define LIBSSPI_EXTENSION __extension__
#else
#define LIBSSPI_EXTENSION
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Calling-convention and annotation macros: all empty (SysV ABI). */
#ifndef SEC_ENTRY
#define SEC_ENTRY
#endif
#ifndef NTAPI
#define NTAPI
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef APIENTRY
#define APIENTRY
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef SEC_FAR
#define SEC_FAR
#endif
#ifndef __SEC_FAR
#define __SEC_FAR
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef CONST
#define CONST const
#endif
#ifndef VOID
#define VOID void
#endif
#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1
#endif

/* ---- Scalar types (minwindef.h / winnt.h / basetsd.h). */
#if !defined(_WINDEF_) && !defined(_MINWINDEF_) && !defined(LIBSSPI_SCALAR_TYPES_DEFINED)
#define LIBSSPI_SCALAR_TYPES_DEFINED 1

typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;

typedef char CHAR, *PCHAR, *PSTR, *LPSTR;
typedef const char *PCSTR, *LPCSTR;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef int BOOL, *PBOOL, *LPBOOL;

typedef int16_t SHORT, *PSHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef uint16_t WORD, *PWORD, *LPWORD;
typedef int INT, *PINT;
typedef unsigned int UINT, *PUINT;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef int64_t LONGLONG, *PLONGLONG;
typedef uint64_t ULONGLONG, *PULONGLONG;
typedef int64_t LONG64, *PLONG64;
typedef uint64_t ULONG64, *PULONG64;
typedef uint64_t DWORD64, *PDWORD64;

typedef intptr_t INT_PTR, *PINT_PTR;
typedef uintptr_t UINT_PTR, *PUINT_PTR;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef uintptr_t DWORD_PTR, *PDWORD_PTR;
typedef size_t SIZE_T, *PSIZE_T;

typedef void *HANDLE, **PHANDLE;

typedef char16_t WCHAR, *PWCHAR, *PWSTR, *LPWSTR;
typedef const char16_t *PCWSTR, *LPCWSTR;

#endif /* scalar types */

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* ---- 64-bit integers, LUID and SIDs (winnt.h). */
#if !defined(_WINNT_) && !defined(LIBSSPI_WINNT_TYPES_DEFINED)
#define LIBSSPI_WINNT_TYPES_DEFINED 1

/* 8-byte aligned; LowPart/HighPart in little-endian order. */
typedef union _LARGE_INTEGER {
    LIBSSPI_EXTENSION struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    LIBSSPI_EXTENSION struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

/* Locally unique identifier: 8 bytes, 4-byte aligned. */
typedef struct _LUID {
    DWORD LowPart;
    LONG HighPart;
} LUID, *PLUID;

typedef PVOID PSID;

typedef int32_t HRESULT;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

#endif /* winnt types */

/* ---- GUID (guiddef.h). */
#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
typedef GUID *LPGUID;
typedef const GUID *LPCGUID;
#endif

/* ---- Counted strings and NTSTATUS (ntdef.h). Lengths are in bytes. */
#if !defined(_NTDEF_) && !defined(LIBSSPI_NTDEF_TYPES_DEFINED)
#define LIBSSPI_NTDEF_TYPES_DEFINED 1

typedef int32_t NTSTATUS, *PNTSTATUS;

typedef struct _UNICODE_STRING {
    USHORT Length;        /* bytes in Buffer, without a terminator */
    USHORT MaximumLength; /* bytes allocated for Buffer */
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING;
typedef STRING ANSI_STRING, *PANSI_STRING;
typedef STRING OEM_STRING, *POEM_STRING;
typedef const STRING *PCSTRING;
typedef const STRING *PCANSI_STRING;

#endif /* ntdef types */

/* ---- SSPI character and status types (sspi.h). */
#ifndef LIBSSPI_SEC_CHAR_DEFINED
#define LIBSSPI_SEC_CHAR_DEFINED 1
typedef WCHAR SEC_WCHAR;
typedef CHAR SEC_CHAR;
#endif

#ifndef __SECSTATUS_DEFINED__
#define __SECSTATUS_DEFINED__
typedef int32_t SECURITY_STATUS;
#endif

/*
 * Width checks: a definition taken from elsewhere with the wrong size
 * (e.g. a 64-bit ULONG) fails here, at compile time.
 */
typedef char libsspi_check_ulong_is_4[sizeof(ULONG) == 4 ? 1 : -1];
typedef char libsspi_check_long_is_4[sizeof(LONG) == 4 ? 1 : -1];
typedef char libsspi_check_ushort_is_2[sizeof(USHORT) == 2 ? 1 : -1];
typedef char libsspi_check_boolean_is_1[sizeof(BOOLEAN) == 1 ? 1 : -1];
typedef char libsspi_check_wchar_is_2[sizeof(WCHAR) == 2 ? 1 : -1];
typedef char libsspi_check_ulong_ptr[sizeof(ULONG_PTR) == sizeof(void *) ? 1 : -1];
typedef char libsspi_check_large_integer[sizeof(LARGE_INTEGER) == 8 ? 1 : -1];
typedef char libsspi_check_luid_is_8[sizeof(LUID) == 8 ? 1 : -1];
typedef char libsspi_check_status_is_4[sizeof(SECURITY_STATUS) == 4 ? 1 : -1];
typedef char libsspi_check_ntstatus_is_4[sizeof(NTSTATUS) == 4 ? 1 : -1];

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_SSPI_TYPES_H */
