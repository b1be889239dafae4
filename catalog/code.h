/* catalog/code.h -- the code scheme: what the digits of an error code mean.
 *
 * This is the NetEase Cloud scheme. A code is a 7-digit decimal number:
 * the HTTP status (3 digits), the service (2) and the detail (2), so
 * 4040402 is status 404, service 04 (load balancers), detail 02. A
 * contract whose codes are built another way says so in its contract file
 * (catalog/contract.h: status, service and detail digits), and whoever
 * reads codes by the contract calls contract_code_status and friends;
 * these functions are the NetEase scheme, what the built-in contract says,
 * for modules that know no other (the reference server). The two headers
 * are the only places allowed to do the arithmetic (`grep -rn '10000\|%
 * 100'` finds any other).
 *
 * Pure functions of their arguments, libc only, header only, so the
 * reference server uses exactly what the runner and the reports use. They
 * never trust their input: a value sent by a server may be any integer. */
#ifndef CATALOG_CODE_H
#define CATALOG_CODE_H

/* The smallest and largest code: exactly 7 digits. */
#define CATALOG_CODE_MIN 1000000L
#define CATALOG_CODE_MAX 9999999L

/* The rule the consistency check states in its expected text: a reader
 * of a report sees the arithmetic that catalog_code_status does. */
#define CATALOG_CODE_STATUS_RULE "code / 10000"

/* 1 when code is a code of the scheme (exactly 7 digits, so its status
 * part has 3), else 0. Whether the status is an error status is the
 * catalog's rule (catalog_status_is_error), not the scheme's. */
static inline int catalog_code_valid(long long code)
{
    return code >= CATALOG_CODE_MIN && code <= CATALOG_CODE_MAX;
}

/* The parts of a code. They are read from the seven digit positions, so
 * they are defined for 0 to CATALOG_CODE_MAX (a shorter number reads with
 * leading zeros: 4001 is status 0, service 40, detail 1; reports place
 * such numbers by these parts too); -1 for any other value, which has no
 * parts and can therefore never match a real status or service. */
static inline int catalog_code_status(long long code)
{
    return code >= 0 && code <= CATALOG_CODE_MAX ? (int)(code / 10000) : -1;
}

static inline int catalog_code_service(long long code)
{
    return code >= 0 && code <= CATALOG_CODE_MAX ? (int)(code / 100 % 100) : -1;
}

static inline int catalog_code_detail(long long code)
{
    return code >= 0 && code <= CATALOG_CODE_MAX ? (int)(code % 100) : -1;
}

/* The code with these parts: status 100-999, service and detail 0-99
 * (the caller's to ensure; the reference server builds codes that are not
 * in the catalog with it). */
static inline long catalog_code_make(int status, int service, int detail)
{
    return (long)status * 10000 + (long)service * 100 + detail;
}

#endif
