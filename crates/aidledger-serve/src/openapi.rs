//! The OpenAPI 3 description of the JSON API, written by hand (served at
//! `/api/openapi.json`). Keep it in step with `api.rs`; a test checks that every route is
//! listed.

use serde_json::{json, Value};

use crate::api::{
    DEFAULT_LIMIT, DEFAULT_SEARCH_LIMIT, MAX_BODY_BYTES, MAX_LIMIT, MAX_SEARCH_LIMIT,
};

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn path_id(description: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": description, "schema": { "type": "string" } })
}

fn error(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

fn ok_json(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn filter_params() -> Vec<Value> {
    let statuses: Vec<&str> = aidledger_core::Status::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    let date = json!({ "type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" });
    let text = json!({ "type": "string", "maxLength": aidledger_store::MAX_FILTER_CHARS });
    vec![
        query("donor", "Donor code (e.g. USA), case-insensitive.", text.clone()),
        query("recipient", "Recipient code (e.g. UKR), case-insensitive.", text.clone()),
        query("item", "Case-insensitive substring of the item name (`%` and `_` match themselves).", text.clone()),
        query("category", "Category, case-insensitive.", text),
        query("status", "Commitments that reached this stage (any of their stages).", json!({ "type": "string", "enum": statuses })),
        query("since", "Commitments with a date on or after (YYYY, YYYY-MM or YYYY-MM-DD; compared at the precision both have).", date.clone()),
        query("until", "Commitments with a date on or before (YYYY, YYYY-MM or YYYY-MM-DD).", date),
        query("min_sources", "At least this many distinct outlets.", json!({ "type": "integer", "minimum": 0 })),
        query("kind", "Commitments of this kind (docs/ledger.md): an announced package or pledge, a transfer that names no package, a request, a series of cumulative totals, a budget envelope.", json!({ "type": "string", "enum": ["package", "transfer", "request", "total", "budget"] })),
    ]
}

/// The schema of a list item ([`crate::api::list_item`]).
fn commitment_summary() -> Value {
    json!({ "type": "object", "description": "A commitment as lists show it.", "properties": {
                    "id": { "type": "string" },
                    "href": { "type": "string", "description": "/api/commitments/{id}: the whole commitment" },
                    "kind": { "type": "string" }, "donor": { "type": "string" },
                    "recipient": { "type": "string", "nullable": true },
                    "item": { "type": "string" }, "category": { "type": "string", "nullable": true },
                    "announced": { "type": "string", "nullable": true },
                    "first_date": { "type": "string", "nullable": true },
                    "last_date": { "type": "string", "nullable": true },
                    "status": { "type": "string", "description": "the latest stage reached" },
                    "stages": { "type": "array", "items": { "type": "string" }, "description": "the statuses of its stages, in life order" },
                    "value": { "$ref": "#/components/schemas/CurrencySum" },
                    "items": { "type": "array", "items": { "type": "string" }, "description": "contents, \"8 NASAMS\" or a bare name" },
                    "flags": { "type": "array", "items": { "type": "string" }, "description": "sanity flags (docs/ledger.md, Sanity)" },
                    "confirmed": { "type": "boolean" },
                    "counts_in_sums": { "type": "boolean" },
                    "n_sources": { "type": "integer" }, "n_documents": { "type": "integer" },
                    "sources": { "type": "array", "items": { "type": "string" }, "description": "the first sources (all are in the whole commitment)" }
                } })
}

fn year_param() -> Value {
    query(
        "year",
        "Commitments announced in this year (YYYY; the announcement date, else the first date).",
        json!({ "type": "string", "pattern": "^[0-9]{4}$" }),
    )
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut list_params = filter_params();
    list_params.extend([
        query(
            "sort",
            "date: latest first (default); sources: most outlets first; value: largest reported amount first (any currency; without value last); donor, item: alphabetical.",
            json!({ "type": "string", "enum": ["date", "sources", "value", "donor", "item"], "default": "date" }),
        ),
        query(
            "limit",
            &format!("Page size (larger values are cut to {MAX_LIMIT})."),
            json!({ "type": "integer", "minimum": 0, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT }),
        ),
        query("offset", "Commitments to skip.", json!({ "type": "integer", "minimum": 0, "default": 0 })),
        year_param(),
    ]);
    let mut agg_params = vec![query(
        "by",
        "Grouping key.",
        json!({ "type": "string", "enum": ["donor", "category", "status", "month"], "default": "donor" }),
    )];
    agg_params.extend(filter_params());
    agg_params.push(year_param());
    let mut systems_params = vec![query(
        "per_donor",
        "One roll-up per donor and system (true, the default) or per system across donors (false).",
        json!({ "type": "boolean", "default": true }),
    )];
    systems_params.extend(filter_params());

    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "AidLedger API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Military-aid commitments extracted from news, with their sources and evidence. Read-only unless the server was started with a write token. Errors are JSON {\"error\": \"...\"}. Unknown query parameters are refused (400); empty ones are ignored."
        },
        "paths": {
            "/api/commitments": {
                "get": {
                    "summary": "The ledger: filtered, sorted, paged commitments, one summary each.",
                    "description": format!("Filtered, sorted, counted and cut in the database: one page is read, never the whole ledger. Each item summarises a commitment (counts and the first {} sources) and links to the whole of it (`href`: every document id, stage and evidence sentence).", crate::api::LIST_SOURCES),
                    "parameters": list_params,
                    "responses": {
                        "200": ok_json("A page of commitments and the total that match.", json!({
                            "type": "object",
                            "properties": {
                                "total": { "type": "integer", "description": "Commitments that match the filters, on all pages." },
                                "limit": { "type": "integer" },
                                "offset": { "type": "integer" },
                                "next": { "type": "string", "nullable": true, "description": "The next page, with the same parameters; null on the last page." },
                                "items": { "type": "array", "items": { "$ref": "#/components/schemas/CommitmentSummary" } }
                            }
                        })),
                        "400": error("Bad parameter (unknown status or sort, bad date, non-numeric number, a text filter longer than its maxLength).")
                    }
                }
            },
            "/api/commitments/{id}": {
                "get": {
                    "summary": "One commitment by its id.",
                    "parameters": [path_id("Commitment id (hex).")],
                    "responses": {
                        "200": ok_json("The commitment.", json!({ "$ref": "#/components/schemas/Commitment" })),
                        "404": error("No such commitment.")
                    }
                }
            },
            "/api/commitments/{id}/confirmation": {
                "put": {
                    "summary": "Confirm a flagged commitment: it then counts in the sums despite its flags.",
                    "description": "As `aidledger ledger confirm ID`. Needs `Authorization: Bearer TOKEN` (the server's write token); a read-only server refuses with 403. The confirmation outlives rebuilds; `confirmed` in a commitment says whether it holds.",
                    "security": [{ "bearer": [] }],
                    "parameters": [path_id("Commitment id (hex).")],
                    "responses": {
                        "200": ok_json("The confirmation.", json!({
                            "type": "object",
                            "properties": {
                                "id": { "type": "string" },
                                "confirmed": { "type": "boolean" },
                                "flags": { "type": "array", "items": { "type": "string" }, "description": "The flags confirmed." },
                                "confirmed_at": { "type": "integer", "description": "Unix time (seconds)." }
                            }
                        })),
                        "400": error("The commitment has no flag: it counts in the sums already."),
                        "401": error("No bearer token."),
                        "403": error("Wrong token, or a read-only server."),
                        "404": error("No such commitment.")
                    }
                },
                "delete": {
                    "summary": "Take a confirmation back: the commitment's flags keep it out of the sums again.",
                    "description": "As `aidledger ledger confirm ID --undo`. Needs the write token.",
                    "security": [{ "bearer": [] }],
                    "parameters": [path_id("Commitment id (hex).")],
                    "responses": {
                        "200": ok_json("Taken back.", json!({
                            "type": "object",
                            "properties": { "id": { "type": "string" }, "confirmed": { "type": "boolean" } }
                        })),
                        "401": error("No bearer token."),
                        "403": error("Wrong token, or a read-only server."),
                        "404": error("The commitment has no confirmation.")
                    }
                }
            },
            "/api/documents/{id}": {
                "get": {
                    "summary": "A stored document's metadata and its records with evidence spans.",
                    "description": "`text` is null: the store does not yet return one document's text.",
                    "parameters": [path_id("Document id.")],
                    "responses": {
                        "200": ok_json("The document.", json!({ "$ref": "#/components/schemas/DocumentWithRecords" })),
                        "400": error("An id no document can have (control or invisible formatting characters), or a path that is not UTF-8."),
                        "404": error("No such document.")
                    }
                }
            },
            "/api/documents": {
                "post": {
                    "summary": "Ingest documents: extract, store, rebuild the ledger.",
                    "description": format!("Needs `Authorization: Bearer TOKEN` (the server's write token); a server started without a token refuses with 403 \"read-only server\". Body: a JSON array of documents or JSON Lines, at most {} MiB by default (`serve --max-body-bytes`); larger is 413. Ids are stored exactly as given: an empty id, one of only whitespace, longer than {} bytes, or holding a control character (NUL, tab, newline, C1, DEL) or a bidirectional formatting character is refused, and so is a batch giving the same id twice (400, nothing stored).", MAX_BODY_BYTES >> 20, aidledger_store::MAX_ID_BYTES),
                    "security": [{ "bearer": [] }],
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Document" } } },
                            "application/x-ndjson": { "schema": { "$ref": "#/components/schemas/Document" } }
                        }
                    },
                    "responses": {
                        "200": ok_json("What was stored.", json!({
                            "type": "object",
                            "properties": {
                                "received": { "type": "integer" },
                                "added": { "type": "integer" },
                                "replaced": { "type": "integer" },
                                "unchanged": { "type": "integer" },
                                "records": { "type": "integer" },
                                "skipped": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "string" }, "error": { "type": "string" } } } },
                                "commitments": { "type": "integer", "description": "Commitments in the ledger after the rebuild." }
                            }
                        })),
                        "400": error("Body is not a JSON array / JSON Lines of documents, an id is refused, or an id is given twice (the error names it; nothing is stored)."),
                        "401": error("No bearer token."),
                        "403": error("Wrong token, or a read-only server."),
                        "413": error("Body too large.")
                    }
                }
            },
            "/api/search": {
                "get": {
                    "summary": "Full-text search over the stored documents; best first.",
                    "description": "The query is read as plain words (no syntax); all must occur. A query without words finds nothing.",
                    "parameters": [
                        query("q", "Words to search for.", json!({ "type": "string" })),
                        query("limit", &format!("Documents to return (cut to {MAX_SEARCH_LIMIT})."), json!({ "type": "integer", "minimum": 0, "maximum": MAX_SEARCH_LIMIT, "default": DEFAULT_SEARCH_LIMIT }))
                    ],
                    "responses": {
                        "200": ok_json("Matching documents with their records.", json!({
                            "type": "object",
                            "properties": {
                                "query": { "type": "string" },
                                "limit": { "type": "integer" },
                                "total": { "type": "integer" },
                                "items": { "type": "array", "items": { "$ref": "#/components/schemas/DocumentWithRecords" } }
                            }
                        })),
                        "400": error("Bad parameter.")
                    }
                }
            },
            "/api/systems": {
                "get": {
                    "summary": "Systems as roll-ups of the filtered commitments: quantities pledged (in how many packages) and delivered, per donor or across donors.",
                    "description": "aidledger_ledger::figures::systems (docs/ledger.md, Figures): unflagged packages and transfers only; each package counts once, with the quantity most of its documents give.",
                    "parameters": systems_params,
                    "responses": {
                        "200": ok_json("One roll-up per system (and donor).", json!({
                            "type": "object",
                            "properties": {
                                "per_donor": { "type": "boolean" },
                                "items": { "type": "array", "items": { "$ref": "#/components/schemas/SystemRollup" } }
                            }
                        })),
                        "400": error("Bad parameter.")
                    }
                }
            },
            "/api/aggregates": {
                "get": {
                    "summary": "Commitment counts and committed / delivered values per key.",
                    "description": crate::api::AGGREGATE_DEFINITION,
                    "parameters": agg_params,
                    "responses": {
                        "200": ok_json("One group per key.", json!({
                            "type": "object",
                            "properties": {
                                "by": { "type": "string" },
                                "total": { "type": "integer" },
                                "definition": { "type": "string" },
                                "groups": { "type": "array", "items": {
                                    "type": "object",
                                    "properties": {
                                        "key": { "type": "string" },
                                        "count": { "type": "integer" },
                                        "kinds": { "type": "object", "additionalProperties": { "type": "integer" } },
                                        "flagged": { "type": "integer", "description": "flagged commitments kept out of the sums (not confirmed)" },
                                        "confirmed": { "type": "integer", "description": "flagged commitments a person confirmed: they count" },
                                        "committed": { "type": "array", "items": { "$ref": "#/components/schemas/CurrencySum" } },
                                        "delivered": { "type": "array", "items": { "$ref": "#/components/schemas/CurrencySum" } }
                                    }
                                } }
                            }
                        })),
                        "400": error("Bad parameter.")
                    }
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "responses": { "200": ok_json("OpenAPI 3 document.", json!({ "type": "object" })) }
                }
            }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
                "CurrencySum": { "type": "object", "properties": {
                    "currency": { "type": "string" }, "amount": { "type": "number" }
                } },
                "SystemRollup": { "type": "object", "properties": {
                    "donor": { "type": ["string", "null"], "description": "null in the roll-up across donors" },
                    "system": { "type": "string" }, "category": { "type": ["string", "null"] },
                    "pledged": { "type": "integer", "description": "sum over packages of each package's pledged quantity" },
                    "delivered": { "type": "integer", "description": "sum over packages and transfers of each one's delivered quantity" },
                    "packages": { "type": "integer", "description": "packages that contain the system" },
                    "commitments": { "type": "array", "items": { "type": "string" } },
                    "sources": { "type": "array", "items": { "type": "string" } }
                } },
                "Document": { "type": "object", "required": ["id", "text"], "properties": {
                    "id": { "type": "string" }, "text": { "type": "string" },
                    "published": { "type": "string", "description": "YYYY-MM-DD, YYYY-MM or YYYY" },
                    "source": { "type": "string" }, "url": { "type": "string" },
                    "title": { "type": "string" }, "lang": { "type": "string", "description": "ISO 639-1; detected when missing" }
                } },
                "Record": { "type": "object", "description": "An aid record (docs/records.md): doc_id, status, donors, recipient, items, value, date, asserted_by, evidence (byte spans with text), confidence." },
                "DocumentWithRecords": { "type": "object", "properties": {
                    "id": { "type": "string" }, "title": { "type": "string", "nullable": true },
                    "url": { "type": "string", "nullable": true }, "source": { "type": "string", "nullable": true },
                    "published": { "type": "string", "nullable": true }, "lang": { "type": "string", "nullable": true },
                    "text": { "type": "string", "nullable": true },
                    "records": { "type": "array", "items": { "$ref": "#/components/schemas/Record" } }
                } },
                "Commitment": { "type": "object", "description": "One ledger line (docs/ledger.md): id, kind, donor, recipient, subject, item, category, stages (each with dates, quantities, values, asserted_by, sources, evidence, doc_ids), status, first_date, last_date, sources, doc_ids, announced, value, contents, flags, confirmed (a person confirmed the flagged commitment: it counts in the sums), series." },
                "CommitmentSummary": commitment_summary()
            }
        }
    })
}
