import CPhoneNumber
import CZip
import CLibXML2
import CFreeXL
print(dd_phone_region_supported("US"), zip_libzip_version().map { String(cString: $0) } ?? "", freexl_version().map { String(cString: $0) } ?? "")
