import Crypto
import DropdialConfig
@testable import DropdialDialer
import Foundation
import Testing

/// Each provider's webhook (SPEC §9): the signature checked first, and every row of the status →
/// outcome table. The signature algorithms are pinned by vectors computed outside dropdial
/// (twilio-python's request-validator test vector; Python's `hmac` for Retell).
@Suite struct ProviderWebhookTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    // MARK: Twilio

    let twilio = TwilioBackend(
        config: .init(baseURL: "http://127.0.0.1:9", accountSid: "AC123", authTokenEnv: "X", twimlURL: "https://t.example/twiml"),
        authToken: "tok", callbackURL: "https://dialer.example/webhooks/twilio", timeoutSeconds: 1)

    @Test func twilioSignatureMatchesThePublishedVector() {
        // twilio-python tests/unit/test_request_validator.py: token 12345 over this URL and these params.
        let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
                      ("From", "+14158675309"), ("To", "+18005551212")]
        #expect(WebhookSignature.twilio(url: "https://mycompany.com/myapp.php?foo=1&bar=2", parameters: params.reversed(),
                                        authToken: "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    }

    func twilioHook(_ params: [(String, String)], signature: String? = nil, url: String = "https://dialer.example/webhooks/twilio") -> WebhookVerdict {
        let body = FormEncoding.encode(params)
        let sig = signature ?? WebhookSignature.twilio(url: url, parameters: params, authToken: "tok")
        return twilio.webhook(WebhookRequest(url: url, headers: ["x-twilio-signature": sig], body: Array(body.utf8), now: now))
    }

    @Test(arguments: [
        ("completed", nil, CallOutcome.completed), ("completed", "human", .completed), ("completed", "unknown", .completed),
        ("completed", "machine_start", .voicemail), ("completed", "machine_end_beep", .voicemail),
        ("completed", "machine_end_silence", .voicemail), ("completed", "machine_end_other", .voicemail),
        ("completed", "fax", .failed), ("busy", nil, .busy), ("no-answer", nil, .noAnswer),
        ("failed", nil, .failed), ("canceled", nil, .failed),
    ] as [(String, String?, CallOutcome)])
    func twilioStatusesMap(_ status: String, _ answeredBy: String?, _ outcome: CallOutcome) {
        var params = [("CallSid", "CA1"), ("CallStatus", status), ("CallDuration", "12"), ("To", "+1 (415) 555-0100")]
        if let answeredBy { params.append(("AnsweredBy", answeredBy)) }
        #expect(twilioHook(params) == .final(providerCallId: "CA1", result: CallResult(outcome: outcome, durationSec: 12)))
    }

    @Test func twilioNonFinalStatusesAndBadSignatures() {
        for status in ["queued", "initiated", "ringing", "in-progress"] {
            #expect(twilioHook([("CallSid", "CA1"), ("CallStatus", status)]) == .notFinal(providerCallId: "CA1"))
        }
        let params = [("CallSid", "CA1"), ("CallStatus", "completed")]
        let good = WebhookSignature.twilio(url: "https://dialer.example/webhooks/twilio", parameters: params, authToken: "tok")
        // Another token, another URL, a changed parameter, no header: all refused before reading.
        #expect(twilioHook(params, signature: WebhookSignature.twilio(url: "https://dialer.example/webhooks/twilio",
                                                                      parameters: params, authToken: "other")) == .rejected("X-Twilio-Signature does not match"))
        #expect(twilioHook(params, signature: good, url: "https://evil.example/webhooks/twilio") == .rejected("X-Twilio-Signature does not match"))
        #expect(twilioHook([("CallSid", "CA1"), ("CallStatus", "busy")], signature: good) == .rejected("X-Twilio-Signature does not match"))
        #expect(twilio.webhook(WebhookRequest(url: "u", headers: [:], body: [], now: now)) == .rejected("no X-Twilio-Signature"))
    }

    @Test func twilioRESTErrorsOnTheCreate() {
        #expect(TwilioBackend.invalidNumberCodes == [21211, 21614])
        #expect(twilio.twimlURL(["name": "Ann Lee", "a&b": "1=2"]) == "https://t.example/twiml?a%26b=1%3D2&name=Ann%20Lee")
    }

    // MARK: Vapi

    let vapi = VapiBackend(config: .init(baseURL: "http://127.0.0.1:9", apiKeyEnv: "X", assistantId: "asst", webhookSecretEnv: "Y"),
                           apiKey: "k", webhookSecret: "s3cret", timeoutSeconds: 1)

    func vapiHook(_ message: [String: Any], secret: String? = "s3cret") -> WebhookVerdict {
        let body = try! JSONSerialization.data(withJSONObject: ["message": message])
        return vapi.webhook(WebhookRequest(url: "u", headers: secret.map { ["x-vapi-secret": $0] } ?? [:],
                                           body: Array(body), now: now))
    }

    @Test(arguments: [
        ("customer-did-not-answer", CallOutcome.noAnswer), ("customer-busy", .busy), ("voicemail", .voicemail),
        ("pipeline-error-openai-llm-failed", .failed), ("twilio-failed-to-connect-call", .failed),
        ("assistant-error", .failed), ("customer-ended-call", .completed), ("assistant-ended-call", .completed),
        ("silence-timed-out", .completed),
    ] as [(String, CallOutcome)])
    func vapiEndedReasonsMap(_ reason: String, _ outcome: CallOutcome) {
        let verdict = vapiHook(["type": "end-of-call-report", "endedReason": reason, "durationSeconds": 7.5,
                                "call": ["id": "c-1"]])
        #expect(verdict == .final(providerCallId: "c-1", result: CallResult(outcome: outcome, durationSec: 7.5)))
    }

    @Test func vapiSecretAndOtherMessages() {
        let report: [String: Any] = ["type": "end-of-call-report", "endedReason": "customer-busy", "call": ["id": "c-1"]]
        #expect(vapiHook(report, secret: "wrong") == .rejected("x-vapi-secret does not match"))
        #expect(vapiHook(report, secret: "s3cret ") == .rejected("x-vapi-secret does not match"))
        #expect(vapiHook(report, secret: nil) == .rejected("no x-vapi-secret"))
        #expect(vapiHook(["type": "status-update", "status": "ringing", "call": ["id": "c-1"]]) == .notFinal(providerCallId: "c-1"))
    }

    // MARK: Retell

    let retell = RetellBackend(config: .init(baseURL: "http://127.0.0.1:9", apiKeyEnv: "X", agentId: "agent"),
                               apiKey: "key_test", timeoutSeconds: 1)

    @Test func retellSignatureMatchesAVectorMadeOutside() {
        // python3: hmac.new(b'key_test', b'{"event":"call_ended"}' + b'1700000000000', sha256).hexdigest()
        #expect(WebhookSignature.retell(body: Array(#"{"event":"call_ended"}"#.utf8), milliseconds: "1700000000000",
                                        apiKey: "key_test") == "8c7fd3e49f31b8a3409e410a877de6a7ae40eb3c989b3700eaa2336f30ec1b48")
    }

    func retellHook(_ root: [String: Any], signedAt: Date? = nil, key: String = "key_test", header: String? = nil) -> WebhookVerdict {
        let body = Array(try! JSONSerialization.data(withJSONObject: root))
        let ms = String(Int64(((signedAt ?? now).timeIntervalSince1970 * 1000).rounded()))
        let mac = HMAC<SHA256>.authenticationCode(for: body + Array(ms.utf8), using: SymmetricKey(data: Data(key.utf8)))
        let sig = header ?? "v=\(ms),d=\(mac.map { String(format: "%02x", $0) }.joined())"
        return retell.webhook(WebhookRequest(url: "u", headers: ["x-retell-signature": sig], body: body, now: now))
    }

    @Test(arguments: [
        ("dial_no_answer", CallOutcome.noAnswer), ("dial_busy", .busy), ("dial_failed", .failed),
        ("voicemail_reached", .voicemail), ("machine_detected", .voicemail), ("user_declined", .declined),
        ("invalid_destination", .invalidNumber), ("error_llm_websocket_open", .failed), ("error_inbound_webhook", .failed),
        ("user_hangup", .completed), ("agent_hangup", .completed), ("max_duration_reached", .completed),
    ] as [(String, CallOutcome)])
    func retellDisconnectionReasonsMap(_ reason: String, _ outcome: CallOutcome) {
        let verdict = retellHook(["event": "call_ended", "call": ["call_id": "call_1", "call_status": "ended",
                                                                   "disconnection_reason": reason, "duration_ms": 4200]])
        #expect(verdict == .final(providerCallId: "call_1", result: CallResult(outcome: outcome, durationSec: 4.2)))
    }

    @Test func retellSignatureAgeKeyAndForm() {
        let ended: [String: Any] = ["event": "call_ended", "call": ["call_id": "call_1", "disconnection_reason": "user_hangup"]]
        #expect(retellHook(ended, signedAt: now.addingTimeInterval(-299)) != .rejected("x-retell-signature is more than 5 minutes from now"))
        #expect(retellHook(ended, signedAt: now.addingTimeInterval(-301)) == .rejected("x-retell-signature is more than 5 minutes from now"))
        #expect(retellHook(ended, signedAt: now.addingTimeInterval(301)) == .rejected("x-retell-signature is more than 5 minutes from now"))
        #expect(retellHook(ended, key: "another") == .rejected("x-retell-signature does not match"))
        #expect(retellHook(ended, header: "sha256=abc") == .rejected("x-retell-signature is not v=MS,d=HEX"))
        #expect(retellHook(["event": "call_started", "call": ["call_id": "call_1"]]) == .notFinal(providerCallId: "call_1"))
        #expect(RetellBackend.finalStatuses == ["ended", "error", "not_connected"])
    }
}
