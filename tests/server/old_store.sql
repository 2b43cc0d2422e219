-- A --db file as the server wrote it before request messages had rows of their own (each
-- completion's messages were a JSON array in completions.messages): three stored completions,
-- the second one deleted. Written by that version of the server, then dumped with Python's
-- sqlite3 iterdump(); tests/server/helpers.py loads it.
BEGIN TRANSACTION;
CREATE TABLE completion_metadata (
    seq INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (seq, key)
) WITHOUT ROWID;
INSERT INTO "completion_metadata" VALUES(1,'team','ml');
INSERT INTO "completion_metadata" VALUES(3,'team','ops');
CREATE TABLE completions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    model TEXT NOT NULL,
    completion TEXT NOT NULL,
    metadata TEXT NOT NULL,
    messages TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "completions" VALUES(1,'chatcmpl-M3jxR03YlAgJhORhC4w8B61vCZ7xh',1796164114,'gpt-4o','{"id": "chatcmpl-M3jxR03YlAgJhORhC4w8B61vCZ7xh", "object": "chat.completion", "created": 1796164114, "model": "gpt-4o", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Thanks learn thanks current steady sound direct various task. Process improve thanks careful through outline task thanks idea together about. Value practice approach view change direct value thanks thanks review little!", "refusal": null, "annotations": []}, "finish_reason": "stop", "logprobs": null}], "usage": {"prompt_tokens": 36, "completion_tokens": 34, "total_tokens": 70, "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}, "service_tier": "default", "system_fingerprint": "fp_chatcomp0", "request_id": "req_0fa3e9024f259a6939fef43b3327ae0d", "seed": 7, "temperature": 1.0, "top_p": 1.0, "presence_penalty": 0.0, "frequency_penalty": 0.0, "tool_choice": null, "tools": null, "response_format": null, "input_user": "ann"}','{"team": "ml"}','[{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "What is"}, {"type": "text", "text": " a river?"}, {"type": "image_url", "image_url": {"url": "https://example.invalid/river.png"}}], "name": "ann"}, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{\"word\": \"river\"}"}}]}, {"role": "tool", "content": "Flowing water.", "tool_call_id": "call_1"}, {"role": "user", "content": "Thanks"}]',0);
INSERT INTO "completions" VALUES(2,'chatcmpl-dDD8kzW7TyOWAnfwfosXDvOgi703I',1796164114,'gpt-4o','{}','{}','[]',1);
INSERT INTO "completions" VALUES(3,'chatcmpl-c9kVTPyQAMPx7KK0YiE2sPJne0inR',1796164114,'gpt-4o-mini','{"id": "chatcmpl-c9kVTPyQAMPx7KK0YiE2sPJne0inR", "object": "chat.completion", "created": 1796164114, "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello review common solid useful detail result build hello change hello. Hello hello summary example large adapt create. Offer change strong context moment hello!", "refusal": null, "annotations": []}, "finish_reason": "stop", "logprobs": null}], "usage": {"prompt_tokens": 8, "completion_tokens": 27, "total_tokens": 35, "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}, "service_tier": "default", "system_fingerprint": "fp_chatcomp0", "request_id": "req_848adbfa1ebe45276459242fdbfd9570", "seed": null, "temperature": 1.0, "top_p": 1.0, "presence_penalty": 0.0, "frequency_penalty": 0.0, "tool_choice": null, "tools": null, "response_format": null, "input_user": null}','{"team": "ops"}','[{"role": "user", "content": "hello"}]',0);
CREATE INDEX completion_metadata_kv ON completion_metadata (key, value, seq);
CREATE INDEX completions_model ON completions (model, seq);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('completions',3);
COMMIT;
