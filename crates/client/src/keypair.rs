//! Keypair files in the Solana CLI's JSON format, shared by every binary.

use solana_keypair::Keypair;
use std::path::PathBuf;

/// `~/.config/solana/id.json`, the Solana CLI's default keypair.
pub fn default_path() -> String {
    std::env::var("HOME")
        .map(|h| format!("{h}/.config/solana/id.json"))
        .unwrap_or_else(|_| "id.json".into())
}

#[derive(Debug, thiserror::Error)]
pub enum KeypairError {
    #[error("cannot read keypair {0}: {1}")]
    Read(String, std::io::Error),
    #[error("keypair {0} is not a JSON array of 64 bytes: {1}")]
    Format(String, String),
}

/// Read a keypair file (an array of 64 bytes); a leading `~/` is the home directory.
pub fn read(path: &str) -> Result<Keypair, KeypairError> {
    let path = match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| KeypairError::Read(shown.clone(), e))?;
    let bytes: Vec<u8> = serde_json::from_str(&text)
        .map_err(|e| KeypairError::Format(shown.clone(), e.to_string()))?;
    Keypair::try_from(&bytes[..]).map_err(|e| KeypairError::Format(shown, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_signer::Signer;

    #[test]
    fn reads_the_cli_format_and_names_the_file_on_errors() {
        let dir = std::env::temp_dir().join(format!("cm-keypair-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = Keypair::new();
        let good = dir.join("id.json");
        std::fs::write(
            &good,
            serde_json::to_string(&key.to_bytes().to_vec()).unwrap(),
        )
        .unwrap();
        assert_eq!(read(good.to_str().unwrap()).unwrap().pubkey(), key.pubkey());
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "[1, 2, 3]").unwrap();
        assert!(read(bad.to_str().unwrap())
            .unwrap_err()
            .to_string()
            .contains("bad.json"));
        assert!(matches!(
            read("/nonexistent/id.json"),
            Err(KeypairError::Read(..))
        ));
        let _ = std::fs::remove_dir_all(dir);
    }
}
