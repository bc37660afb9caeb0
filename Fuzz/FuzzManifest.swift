import DropdialConfig
import Foundation

/// libFuzzer target `manifest`: the input bytes as a `NAME.batch.json` manifest. A manifest that
/// parses is applied to the default settings, which must then still pass the same checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    do throws(Manifest.Invalid) {
        let manifest = try Manifest(json: bytes)
        var settings = BatchSettings()
        manifest.apply(to: &settings)
        precondition(SettingsCheck.window(settings.callingWindow) == nil, "accepted a bad window")
        precondition(SettingsCheck.allowedDays(settings.allowedDays) == nil, "accepted bad days")
        precondition(SettingsCheck.retry(settings.retry) == nil, "accepted a bad retry")
        precondition(SettingsCheck.timezone(settings.timezone) == nil, "accepted a bad timezone")
        if let smart = settings.smartCallbackConfig {
            precondition(SettingsCheck.smartCallback(smart) == nil, "accepted a bad smart callback")
        }
        precondition(settings.holidays.allSatisfy { SettingsCheck.holiday($0) == nil }, "accepted a bad holiday")
        _ = try? JSONEncoder().encode(settings)
    } catch {
        _ = error.description
    }
    return 0
}
