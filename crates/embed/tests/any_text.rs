//! Any string embeds without a panic, to a unit vector (when the model is present: see
//! reference.rs for where it is looked for).

use fahras_embed::{Kind, Model};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let path = match std::env::var_os("FAHRAS_E5_MODEL") {
                Some(p) => PathBuf::from(p),
                None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../../target/model-cache/e5-small-q4.bin"),
            };
            if !path.is_file() {
                eprintln!("skipped: no model at {}", path.display());
                return None;
            }
            // A small cap keeps the cases quick; the cut itself is part of what is tested.
            Some(Model::load(&path).unwrap().with_max_tokens(48))
        })
        .as_ref()
}

proptest! {
    // A fixed seed unless PROPTEST_RNG_SEED asks for another: the same verdict on every run.
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        rng_seed: match ProptestConfig::default().rng_seed {
            proptest::test_runner::RngSeed::Random => proptest::test_runner::RngSeed::Fixed(0x00fa_4a55),
            asked => asked,
        },
        ..ProptestConfig::default()
    })]
    #[test]
    fn any_text_embeds_to_a_unit_vector(
        text in "\\PC{0,60}|[\\u{0600}-\\u{06FF} \\u{0640}\\u{064B}-\\u{0652}]{0,80}|.{0,40}",
        query in any::<bool>(),
    ) {
        if let Some(m) = model() {
            let kind = if query { Kind::Query } else { Kind::Passage };
            prop_assert!(m.token_count(&text, kind) >= 3);
            let v = m.embed(&[&text, "x"], kind, 2);
            let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
            prop_assert!(v[0].iter().all(|x| x.is_finite()));
            prop_assert!((norm - 1.0).abs() < 1e-4, "norm {}", norm);
        }
    }
}
