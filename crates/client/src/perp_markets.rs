//! Reading perp markets back: the config a market was registered (or last edited) with,
//! for tools that show it or compare it with a wanted one.

use cross_margin::state::{OracleKind, PerpConfig, PerpMarket};

/// The `PerpConfig` stored in `m`, as the program reads it back (`PerpMarket::config`);
/// an unknown oracle kind byte reads as pull.
pub fn stored_config(m: &PerpMarket) -> PerpConfig {
    let mut known = *m;
    if OracleKind::try_from(known.oracle_kind).is_err() {
        known.oracle_kind = OracleKind::PythPull as u8;
    }
    known
        .config()
        .expect("a known oracle kind always reads back")
}

/// The market's name as text (zero padding dropped).
pub fn name(m: &PerpMarket) -> String {
    String::from_utf8_lossy(&m.name)
        .trim_end_matches('\0')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_market_gives_back_the_config_it_was_given() {
        let mut m: PerpMarket = bytemuck::Zeroable::zeroed();
        let c = PerpConfig {
            max_open_interest: 77,
            reduce_only: true,
            ..PerpConfig::DEFAULT
        };
        m.apply_config(&c);
        m.name = crate::perp_builders::market_name("SOL-PERP");
        assert_eq!(stored_config(&m), c);
        assert_eq!(name(&m), "SOL-PERP");
    }
}
