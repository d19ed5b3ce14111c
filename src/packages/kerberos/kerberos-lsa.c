/* placeholder, replaced below */
#include "config.h"
#include "packages/kerberos/kerberos.h"
NTSTATUS NTAPI krb_call_package(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    return STATUS_NOT_IMPLEMENTED;
}
