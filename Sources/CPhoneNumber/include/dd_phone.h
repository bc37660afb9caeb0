#ifndef DD_PHONE_H
#define DD_PHONE_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of normalizing one phone number with libphonenumber.
typedef enum {
    DD_PHONE_OK = 0,            ///< valid; E.164 written to `out`
    DD_PHONE_NOT_A_NUMBER = 1,  ///< libphonenumber could not parse it at all
    DD_PHONE_INVALID = 2,       ///< parsed, but not a valid number for its region
    DD_PHONE_BAD_REGION = 3     ///< the default region is not a known ISO 3166 code
} dd_phone_status;

/// Parses `input` (UTF-8, `len` bytes) with `region` as the default region,
/// validates it and writes the E.164 form (NUL-terminated) into `out`.
dd_phone_status dd_phone_normalize(const char *input, size_t len, const char *region,
                                   char *out, size_t out_cap);

/// The same contract computed by libphonenumber alone (Parse, IsValidNumber, Format E164), with no
/// fast path: the reference `dd_phone_normalize` is tested against.
dd_phone_status dd_phone_normalize_reference(const char *input, size_t len, const char *region,
                                             char *out, size_t out_cap);

/// 1 when the NANP fast path of `dd_phone_normalize` is active (its metadata loaded and compiled).
int dd_phone_fast_path_ready(void);

/// The `phonenumbers` release the carried numbering metadata was generated from (e.g. "9.0.43").
const char *dd_phone_metadata_version(void);

/// The ISO region of the E.164 number `e164` (NUL-terminated), as the numbering data decides it
/// ("US", "CA", "FR"); writes it NUL-terminated to `out` and returns 1, or returns 0 when the
/// number does not parse or belongs to no single region.
int dd_phone_region_of(const char *e164, char *out, size_t out_cap);

/// The same answer from libphonenumber alone (Parse, GetRegionCodeForNumber), with no NANP fast
/// path: the reference `dd_phone_region_of` is tested against.
int dd_phone_region_of_reference(const char *e164, char *out, size_t out_cap);

/// 1 when libphonenumber knows `region` (e.g. "US"), else 0.
int dd_phone_region_supported(const char *region);

#ifdef __cplusplus
}
#endif
#endif
