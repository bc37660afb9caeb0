import Foundation
import Hummingbird

/// `GET /openapi.json`: an OpenAPI 3.1 description of every `/api` and `/v1` route. Each route
/// in the `RouteTable` must have an entry in `operations` (a test holds the two together), so the
/// document cannot drift from what the server answers.
enum OpenAPIDocument {
    typealias JSON = [String: Any]

    /// One described operation: what it does, its parameters, its request body and its answers.
    struct Operation {
        var summary: String
        var parameters: [JSON] = []
        var body: JSON?
        var responses: [Int: (String, JSON?)]
        var bodyType = "application/json"
    }

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    static func array(_ items: JSON) -> JSON { ["type": "array", "items": items] }
    static func pathParameter(_ name: String, _ schema: JSON) -> JSON {
        ["name": name, "in": "path", "required": true, "schema": schema]
    }
    static func query(_ name: String, _ schema: JSON, _ description: String) -> JSON {
        ["name": name, "in": "query", "required": false, "schema": schema, "description": description]
    }
    static var batchId: JSON { pathParameter("batchId", ["type": "integer", "minimum": 1]) }
    static var errors: [Int: (String, JSON?)] {
        [
        401: ("no key, or an unknown or revoked key", ref("Error")),
        403: ("the key's role may not do this", ref("Error")),
        404: ("no such batch (or outside the key's inboxes)", ref("Error")),
    ]
    }

    /// Keyed by `METHOD template`, exactly as the route table spells them.
    static var operations: [String: Operation] {
        uploadOperations.merging(fileOperations) { a, _ in a }.merging([
        "GET /api/call/batches": Operation(summary: "The batches the key can see (the body of `batches --json`).",
                                           responses: [200: ("the batches", array(ref("BatchSummary")))].merging(errors) { a, _ in a }),
        "GET /api/call/batch-details/{batchId}": Operation(
            summary: "Seed 002: a batch and one page of its calls with their phone logs (the body of `batch ID --json`).",
            parameters: [batchId,
                         query("page", ["type": "integer", "minimum": 1], "page number, from 1"),
                         query("limit", ["type": "integer", "minimum": 1, "maximum": 1000], "calls per page"),
                         query("filter", ["type": "string"], "JSON object of exact matches: callStatus, outcome, timezone or a variable"),
                         query("sortBy", ["type": "string"], "a call field or a variable"),
                         query("sortOrder", ["type": "string", "enum": ["asc", "desc"]], "asc or desc"),
                         query("search", ["type": "string"], "text to find in the number or any variable")],
            responses: [200: ("the batch", ref("BatchDetails")), 400: ("a bad query parameter", ref("Error"))]
                .merging(errors) { a, _ in a }),
        "POST /api/call/batch/{batchId}/pause": control("Pause a batch (from scheduled or active)."),
        "POST /api/call/batch/{batchId}/resume": control("Resume a paused batch."),
        "POST /api/call/batch/{batchId}/cancel": control("Cancel a batch (from scheduled, active or paused)."),
        "POST /api/call/add-calls/{batchId}": Operation(
            summary: "Seeds 001/004: add contacts to a batch, validated against its rules, 1000 per transaction.",
            parameters: [batchId],
            body: ["type": "object", "required": ["callData"], "additionalProperties": false,
                   "properties": ["callData": array(["type": "object", "required": ["phoneNumber"],
                                                     "properties": ["phoneNumber": ["type": "string"]]])]],
            responses: [200: ("every chunk written", ref("AddCallsResponse")), 207: ("some chunks failed", ref("AddCallsResponse")),
                        400: ("the contacts were refused, or the body is not the JSON asked for; nothing written",
                              ["anyOf": [ref("AddCallsResponse"), ref("Error")]]),
                        409: ("the batch is cancelled", ref("Error")), 413: ("the body is over the limit", ref("Error")),
                        415: ("not application/json", ref("Error"))]
                .merging(errors) { a, _ in a }),
        "GET /api/dnc": Operation(summary: "The do-not-call list (the body of `dnc list --json`).",
                                  responses: [200: ("the list", array(ref("DNCEntry")))].merging(errors) { a, _ in a }),
        "POST /api/dnc": Operation(
            summary: "List numbers as do-not-call (admin).",
            body: ["type": "object", "required": ["numbers"], "additionalProperties": false,
                   "properties": ["numbers": array(["type": "string"]), "region": ["type": "string", "minLength": 2, "maxLength": 2]]],
            responses: [201: ("listed", ref("DNCAdded")), 400: ("a number is not valid, or the body is not the JSON asked for; nothing changed", ref("Error")),
                        413: ("the body is over the limit", ref("Error")), 415: ("not application/json", ref("Error"))]
                .merging(errors) { a, _ in a }),
        "DELETE /api/dnc/{number}": Operation(
            summary: "Unlist a number (admin).", parameters: [pathParameter("number", ["type": "string"])],
            responses: [204: ("unlisted", nil), 400: ("not a valid number", ref("Error")),
                        409: ("listed by a do-not-call file", ref("Error"))].merging(errors) { a, _ in a }),
    ]) { a, _ in a }
    }

    /// A multipart upload: `file` and text fields (JSON ones as JSON text).
    static func upload(_ fields: [String], required: [String]) -> JSON {
        var properties: JSON = ["file": ["type": "string", "format": "binary",
                                         "description": "CSV, TSV, TXT, XLSX, XLSM or XLS"]]
        for field in fields { properties[field] = ["type": "string"] }
        return ["type": "object", "required": ["file"] + required, "properties": properties]
    }

    static var uploadErrors: [Int: (String, JSON?)] {
        [400: ("no file, two files, an unsupported type, a truncated body or a bad field (named)", ref("Error")),
         404: ("no such inbox (or outside the key's inboxes)", ref("Error")),
         413: ("the upload is over [http] max_upload_mb", ref("Error")),
         415: ("not multipart/form-data", ref("Error")),
         422: ("the file was rejected; the report says why", ref("Rejected")),
         503: ("the inbox is not watched or the database is busy; try again", ref("Error"))]
            .merging(errors.filter { $0.key != 404 }) { a, _ in a }
    }

    static var uploadOperations: [String: Operation] {
        [
        "POST /api/call/upload-csv": Operation(
            summary: "Seed 000: upload a contacts file; it goes through the drop pipeline and the answer comes once it is committed or rejected.",
            body: upload(UploadForm.uploadFields.sorted(), required: []),
            responses: [201: ("imported as a new batch", ref("UploadAnswer")),
                        200: ("the same content was imported before; data.batchId is that batch", ref("UploadAnswer"))]
                .merging(uploadErrors) { a, _ in a },
            bodyType: "multipart/form-data"),
        "POST /v1/api/batch-calls": Operation(
            summary: "Seed 003: upload a contacts file for an agent, optionally scheduled and with smart callbacks.",
            body: upload(UploadForm.batchCallFields.sorted(), required: ["agentId"]),
            responses: [201: ("queued", ref("BatchCallsAnswer")),
                        200: ("the same content was imported before", ref("BatchCallsAnswer"))]
                .merging(uploadErrors) { a, _ in a },
            bodyType: "multipart/form-data"),
    ]
    }

    static var fileId: JSON { pathParameter("fileId", ["type": "integer", "minimum": 1]) }

    static var fileOperations: [String: Operation] {
        [
        "GET /api/files": Operation(
            summary: "The files taken from the key's inboxes (imported, rejected, duplicate, failed), newest first.",
            parameters: [query("inbox", ["type": "string"], "one inbox"),
                         query("status", ["type": "string", "enum": ["imported", "rejected", "duplicate", "failed"]], "one outcome"),
                         query("page", ["type": "integer", "minimum": 1], "page number, from 1"),
                         query("limit", ["type": "integer", "minimum": 1, "maximum": 1000], "files per page (50)")],
            responses: [200: ("a page of files", ref("FileList")), 400: ("a bad query parameter", ref("Error"))]
                .merging(errors) { a, _ in a }),
        "GET /api/files/{fileId}": Operation(
            summary: "One file's report (SPEC §5), as written beside the archived file.", parameters: [fileId],
            responses: [200: ("the report", ref("Report")), 400: ("not a file id", ref("Error"))].merging(errors) { a, _ in a }),
        "GET /api/files/{fileId}/errors.csv": Operation(
            summary: "The rejected rows with their reasons, to fix and drop again.", parameters: [fileId],
            responses: [200: ("the errors file (text/csv)", nil), 400: ("not a file id", ref("Error"))].merging(errors) { a, _ in a }),
        "GET /api/files/{fileId}/errors.xlsx": Operation(
            summary: "The rejected rows as a workbook (SPEC §10): every cell text, the failing cells red with their message as a comment.",
            parameters: [fileId],
            responses: [200: ("the errors workbook (the xlsx type)", nil), 400: ("not a file id", ref("Error"))].merging(errors) { a, _ in a }),
        "GET /api/call/export/{batchId}": Operation(
            summary: "The batch's results (SPEC §10): one row per call with its variables, zone, status, attempts, last outcome, and last and next attempt as local time and UTC; as an attachment.",
            parameters: [batchId, query("format", ["type": "string", "enum": ["csv", "xlsx"]], "csv (default) or xlsx")],
            responses: [200: ("the results file (text/csv or the xlsx type)", nil),
                        400: ("not a batch id, or an unknown format", ref("Error")),
                        422: ("over a sheet's 1,048,575 rows: ask for csv", ref("Error"))].merging(errors) { a, _ in a }),
    ]
    }

    static func control(_ summary: String) -> Operation {
        Operation(summary: summary, parameters: [batchId],
                  responses: [200: ("the batch's new status", ref("ControlAnswer")),
                              400: ("not a batch id", ref("Error")),
                              409: ("not allowed in the batch's status", ref("Error"))].merging(errors) { a, _ in a })
    }

    static var schemas: JSON {
        [
        "Error": ["type": "object", "required": ["error", "code"],
                  "properties": ["error": ["type": "string"], "code": ["type": "string"]]],
        "Counts": ["type": "object", "properties": ["rows": ["type": "integer"], "imported": ["type": "integer"],
                                                   "invalid": ["type": "integer"], "duplicates": ["type": "integer"],
                                                   "suppressed": ["type": "integer"]]],
        "BatchSummary": ["type": "object", "required": ["id", "name", "inbox", "status", "createdAt", "counts", "calls"],
                         "properties": ["id": ["type": "integer"], "name": ["type": "string"], "inbox": ["type": "string"],
                                        "status": ["type": "string"], "sourceFile": ["type": ["string", "null"]],
                                        "createdAt": ["type": "string", "format": "date-time"], "counts": ref("Counts"),
                                        "calls": ["type": "object", "additionalProperties": ["type": "integer"]]]],
        "PhoneLog": ["type": "object", "properties": ["attempt": ["type": "integer"], "at": ["type": "string", "format": "date-time"],
                                                     "outcome": ["type": ["string", "null"]], "durationSec": ["type": ["number", "null"]],
                                                     "callingNumber": ["type": ["string", "null"]],
                                                     "providerCallId": ["type": ["string", "null"]]]],
        "CallDetail": ["type": "object", "properties": [
            "id": ["type": "integer"], "phoneNumber": ["type": "string"],
            "variables": ["type": "object", "additionalProperties": ["type": "string"]], "timezone": ["type": "string"],
            "status": ["type": "string"], "attempts": ["type": "integer"],
            "nextAttemptAt": ["type": ["string", "null"], "format": "date-time"], "lastOutcome": ["type": ["string", "null"]],
            "createdAt": ["type": "string", "format": "date-time"], "phoneLogs": array(ref("PhoneLog")),
            "complianceRules": array(["type": "string"]), "state": ["type": ["string", "null"]]]],
        "BatchDetails": ["type": "object", "required": ["id", "calls", "total", "totalPages"], "properties": [
            "id": ["type": "integer"], "name": ["type": "string"], "status": ["type": "string"], "inbox": ["type": "string"],
            "createdAt": ["type": "string", "format": "date-time"], "settings": ["type": ["object", "null"], "properties": [
                "batchName": ["type": ["string", "null"]], "agentId": ["type": ["string", "null"]], "batchType": ["type": "string"],
                "callingNumbers": array(["type": "string"]), "policy": ["type": "string", "enum": ["skip", "reject"]],
                "timezone": ["type": "string"], "callingWindow": ["type": "object"], "allowedDays": array(["type": "integer"]),
                "holidays": array(["type": "string"]), "retry": ["type": "object"],
                "smartCallbackConfig": ["type": ["object", "null"]], "scheduledAt": ["type": ["string", "null"]]]],
            "page": ["type": "integer"], "limit": ["type": "integer"],
            "total": ["type": "integer"], "totalPages": ["type": "integer"], "calls": array(ref("CallDetail"))]],
        "ControlAnswer": ["type": "object", "required": ["batchId", "status"],
                          "properties": ["batchId": ["type": "integer"], "status": ["type": "string"]]],
        "AddCallsResponse": ["type": "object", "required": ["message", "status", "code", "data"],
                             "properties": ["message": ["type": "string"], "status": ["type": "boolean"],
                                            "code": ["type": "integer"], "data": ["type": "object"]]],
        "DNCEntry": ["type": "object", "properties": ["phoneNumber": ["type": "string"], "sources": array(["type": "string"]),
                                                     "addedAt": ["type": "string", "format": "date-time"]]],
        "Report": ["type": "object", "required": ["file", "status", "counts"],
                   "properties": ["file": ["type": "string"], "status": ["type": "string"], "counts": ref("Counts"),
                                  "batchId": ["type": ["integer", "null"]]]],
        "FileEntry": ["type": "object", "required": ["id", "inbox", "name", "archivedAs", "status", "batchId", "counts", "receivedAt"],
                      "properties": ["id": ["type": "integer"], "inbox": ["type": "string"], "name": ["type": "string"],
                                     "archivedAs": ["type": ["string", "null"]], "status": ["type": "string"],
                                     "batchId": ["type": ["integer", "null"]], "counts": ["anyOf": [ref("Counts"), ["type": "null"]]],
                                     "receivedAt": ["type": "string", "format": "date-time"]]],
        "FileList": ["type": "object", "required": ["page", "limit", "total", "files"],
                     "properties": ["page": ["type": "integer"], "limit": ["type": "integer"], "total": ["type": "integer"],
                                    "files": array(ref("FileEntry"))]],
        "Rejected": ["type": "object", "required": ["error", "code", "report"],
                     "properties": ["error": ["type": "string"], "code": ["type": "string"], "report": ref("Report")]],
        "UploadAnswer": ["type": "object", "required": ["message", "status", "code", "data"], "properties": [
            "message": ["type": "string"], "status": ["type": "boolean"], "code": ["type": "integer"],
            "data": ["type": "object", "required": ["batchId", "counts", "report"], "properties": [
                "batchId": ["type": ["integer", "null"]], "batchName": ["type": ["string", "null"]],
                "callingNumbers": array(["type": "string"]), "counts": ref("Counts"), "report": ref("Report")]]]],
        "BatchCallsAnswer": ["type": "object", "required": ["batchId", "status", "message"], "properties": [
            "batchId": ["type": ["integer", "null"]], "totalCalls": ["type": ["integer", "null"]],
            "status": ["type": "string"], "message": ["type": "string"]]],
        "DNCAdded": ["type": "object", "properties": ["listed": array(["type": "string"]), "new": ["type": "integer"]]],
    ]
    }

    /// The document for the `/api` and `/v1` routes of `table`.
    static func document(_ table: RouteTable) -> JSON {
        var paths: [String: JSON] = [:]
        for route in table.routes where route.template.hasPrefix("/api/") || route.template.hasPrefix("/v1/") {
            guard let op = operations["\(route.method.rawValue) \(route.template)"] else { continue }
            var entry: JSON = ["summary": op.summary, "security": [["bearer": [String]()], ["apiKey": [String]()]]]
            if !op.parameters.isEmpty { entry["parameters"] = op.parameters }
            if let body = op.body { entry["requestBody"] = ["required": true, "content": [op.bodyType: ["schema": body]]] }
            var responses: JSON = [:]
            for (status, (description, schema)) in op.responses {
                var r: JSON = ["description": description]
                if let schema { r["content"] = ["application/json": ["schema": schema]] }
                responses[String(status)] = r
            }
            entry["responses"] = responses
            paths[route.template, default: [:]][route.method.rawValue.lowercased()] = entry
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "dropdial", "version": "1", "description": "Contact import and outbound dialing (SPEC §8)."],
            "paths": paths,
            "components": ["schemas": schemas, "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer"],
                "apiKey": ["type": "apiKey", "in": "header", "name": "x-api-key"],
            ]],
        ]
    }

    static func response(_ table: RouteTable) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: document(table), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
