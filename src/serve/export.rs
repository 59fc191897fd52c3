//! `GET /api/export?q=…&format=csv|jsonl|ris` and the search filters: every article the query
//! matches, in the bytes `fahras export` writes, streamed as it is read (an export of the whole
//! archive runs in constant memory), as a download.
//!
//! Errors found before the first row (a bad parameter, an unknown outlet) are answered with a
//! status and JSON like every other request; once rows flow the status is sent, so a later
//! failure ends the download early. A client that goes away stops the export.

use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::{mpsc, oneshot};

use super::errors::{bad_parameter, from_library, internal, ApiError};
use super::params::{search_params, search_request};
use super::{AppState, SearchPermit};
use crate::choice::Choice;
use crate::export::{ExportFormat, ExportRow, ExportWriter};

/// Bytes gathered before they are sent (a row is a few hundred bytes).
const CHUNK: usize = 64 * 1024;

/// Chunks in flight between the search thread and the connection.
const CHUNKS_QUEUED: usize = 8;

type Chunk = Result<Bytes, std::io::Error>;

pub async fn export(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let mut params = search_params(pairs)?;
    let format = format_parameter(params.remove("format"))?;
    // Paging does not apply: an export is every matching article.
    params.remove("limit");
    params.remove("offset");
    let request = search_request(&params)?;
    let permit = export_permit(&state)?;
    let mut engine = state.engine.clone();
    let dir = state.dir.clone();
    let stem = params.get("q").cloned().unwrap_or_default();
    stream(format, &stem, permit, move |sink| {
        // Articles kept in the collections or tags asked for carry their notes and tags, as
        // `fahras export` writes them.
        let annotations = match crate::curation::Store::open_existing(&dir)? {
            Some(store) if !request.collections.is_empty() || !request.tags.is_empty() => {
                store.annotations(&request.collections)?
            }
            _ => Default::default(),
        };
        engine
            .for_each_article(&request, |hit| {
                sink.row(&ExportRow::of(&hit).annotated(annotations.get(&hit.article_id)))
            })
            .map(|_| ())
    })
    .await
}

/// Exports at once; one more is answered 503 at once.
pub const MAX_CONCURRENT_EXPORTS: usize = 2;

/// Longest wait for the client to take a chunk before the export is abandoned: a connection that
/// stops reading must not hold an export slot for ever.
const SEND_WAIT: Duration = Duration::from_secs(60);

/// An export slot: exports have their own few, so that long downloads never take the slots of
/// searches.
pub fn export_permit(state: &AppState) -> Result<SearchPermit, ApiError> {
    state.exports.try_acquire().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many exports at once; try again when one has finished",
        )
    })
}

/// The `format` parameter of an export (CSV when absent).
pub fn format_parameter(name: Option<String>) -> Result<ExportFormat, ApiError> {
    match name {
        None => Ok(ExportFormat::Csv),
        Some(name) => ExportFormat::from_name(&name).ok_or_else(|| {
            let known: Vec<&str> = ExportFormat::CHOICES.iter().map(|c| c.1).collect();
            bad_parameter(
                "format",
                format!("format must be one of {}, not {name:?}", known.join(", ")),
            )
        }),
    }
}

/// Where the rows of an export go: the first row (or the end of an empty export) sends the
/// status and the header; rows are then written to the connection as they come.
pub struct RowSink {
    format: ExportFormat,
    out: Option<ChannelWriter>,
    writer: Option<ExportWriter<ChannelWriter>>,
    started: Option<oneshot::Sender<Result<(), ApiError>>>,
}

impl RowSink {
    fn writer(&mut self) -> crate::Result<&mut ExportWriter<ChannelWriter>> {
        if self.writer.is_none() {
            if let Some(started) = self.started.take() {
                let _ = started.send(Ok(()));
            }
            let out = self.out.take().expect("the writer is made once");
            self.writer = Some(ExportWriter::new(self.format, out).map_err(io_error)?);
        }
        Ok(self.writer.as_mut().expect("just made"))
    }

    /// Writes one row.
    pub fn row(&mut self, row: &ExportRow) -> crate::Result<()> {
        self.writer()?.row(row).map_err(io_error)
    }

    fn finish(mut self) -> crate::Result<()> {
        self.writer()?;
        match self.writer.take() {
            Some(writer) => writer.finish().map(|_| ()).map_err(io_error),
            None => Ok(()),
        }
    }
}

fn io_error(err: std::io::Error) -> crate::Error {
    crate::Error::io("export", err)
}

/// Runs `produce` on a blocking thread and answers with what it writes, streamed as a download
/// named after `stem`. An error before the first row is answered as an error (status and
/// JSON); after it, the download ends early.
pub async fn stream(
    format: ExportFormat,
    stem: &str,
    permit: SearchPermit,
    produce: impl FnOnce(&mut RowSink) -> crate::Result<()> + Send + 'static,
) -> Result<Response, ApiError> {
    let (chunks, receiver) = mpsc::channel::<Chunk>(CHUNKS_QUEUED);
    let (started, first) = oneshot::channel::<Result<(), ApiError>>();
    let failed = chunks.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut sink = RowSink {
            format,
            out: Some(ChannelWriter::new(chunks, runtime)),
            writer: None,
            started: Some(started),
        };
        // A panic is a failure like any other: a download must never end as if complete.
        let produced =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| produce(&mut sink)))
                .unwrap_or_else(|_| {
                    Err(crate::Error::io(
                        "export",
                        std::io::Error::other("the export stopped on an internal error"),
                    ))
                });
        let outcome = match produced {
            Ok(()) => sink.finish(),
            Err(err) => match sink.started.take() {
                // Before any row: the error is the answer.
                Some(started) => {
                    let _ = started.send(Err(from_library(err)));
                    return;
                }
                None => Err(err),
            },
        };
        if let Err(err) = outcome {
            // Rows were sent: the download ends with an error the client sees as a cut.
            let _ = failed.blocking_send(Err(std::io::Error::other(err.to_string())));
        }
    });
    first.await.map_err(internal)??;
    let fallback = format!("fahras-export.{}", format.extension());
    let named = named_after(stem, format);
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{named}"),
            ),
        ],
        Body::from_stream(ReceiverStream(receiver)),
    )
        .into_response())
}

/// `fahras-QUERY.EXT`, percent-encoded for `filename*` (the query's words joined by `-`, at
/// most 60 characters; characters a file name cannot hold left out).
fn named_after(query: &str, format: ExportFormat) -> String {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let stem: String = words.join("-").chars().take(60).collect();
    let file = if stem.is_empty() {
        format!("fahras-export.{}", format.extension())
    } else {
        format!("fahras-{stem}.{}", format.extension())
    };
    let mut encoded = String::new();
    for byte in file.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Writes into chunks sent to the connection; a closed connection is a broken pipe, which
/// stops the export.
struct ChannelWriter {
    chunks: mpsc::Sender<Chunk>,
    runtime: tokio::runtime::Handle,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn new(chunks: mpsc::Sender<Chunk>, runtime: tokio::runtime::Handle) -> ChannelWriter {
        ChannelWriter {
            chunks,
            runtime,
            buffer: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        let sent = self
            .runtime
            .block_on(tokio::time::timeout(SEND_WAIT, self.chunks.send(Ok(chunk))));
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client went away",
            )),
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            )),
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The chunks as the stream of a response body.
struct ReceiverStream(mpsc::Receiver<Chunk>);

impl futures_core::Stream for ReceiverStream {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}
