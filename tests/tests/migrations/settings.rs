//! The group settings (timelock, maint ramp, pause duration, security admin) converge like
//! bank configs: at once during setup; on a live group the tightening part at once and the
//! loosening part queued behind the timelock.

use cross_margin::state::Group;
use cross_margin_client::pda;
use cross_margin_migrations::{bootstrap, parse};
use cross_margin_tests::harness::Protocol;
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn group_settings_converge_at_once_in_setup_and_through_the_queue_once_live() {
    let mut p = Protocol::new().await;
    let group = pda::group(&p.admin(), 9);
    let setup = "group_num = 9\nlive = false\ntimelock_secs = 172800\n";
    let run = bootstrap(&mut p, &parse(setup).unwrap()).await.unwrap();
    assert_eq!(run.actions[0], format!("created group {group}"));
    assert_eq!(
        run.actions[1],
        format!("set group {group}: timelock_secs 86400→172800")
    );
    assert_eq!(p.tc.load::<Group>(group).await.timelock_secs, 172_800);
    let again = bootstrap(&mut p, &parse(setup).unwrap()).await.unwrap();
    assert!(again.actions.is_empty(), "{:?}", again.actions);

    let live = setup.replace("live = false", "live = true");
    let run = bootstrap(&mut p, &parse(&live).unwrap()).await.unwrap();
    assert!(run.actions[0].contains("went live"), "{:?}", run.actions);

    // A shorter pause tightens (at once); a shorter timelock and a new security admin
    // loosen (queued, one change).
    let security = Keypair::new().pubkey();
    let mixed = format!(
        "group_num = 9\ntimelock_secs = 86400\npause_duration_secs = 86400\nsecurity_admin = \"{security}\"\n"
    );
    let run = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert_eq!(run.actions.len(), 2, "{:?}", run.actions);
    assert_eq!(
        run.actions[0],
        format!("tightened group {group}: pause_duration_secs 172800→86400")
    );
    assert!(
        run.actions[1].starts_with(&format!(
            "queued change 0 for group {group}: security_admin → {security}, timelock_secs 172800→86400 (the group is live; applies at"
        )),
        "{:?}",
        run.actions
    );
    assert_eq!(run.queued, vec![0]);
    let g = p.tc.load::<Group>(group).await;
    assert_eq!((g.pause_duration_secs, g.timelock_secs), (86_400, 172_800));

    let waiting = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert!(waiting.actions.is_empty(), "{:?}", waiting.actions);
    assert!(
        waiting.warnings[0].starts_with(&format!("group {group}: queued change 0")),
        "{:?}",
        waiting.warnings
    );

    p.tc.advance_clock(172_800).await;
    let due = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert_eq!(due.actions.len(), 1, "{:?}", due.actions);
    assert!(
        due.actions[0].starts_with("applied queued change 0"),
        "{:?}",
        due.actions
    );
    let g = p.tc.load::<Group>(group).await;
    assert_eq!((g.timelock_secs, g.security_admin), (86_400, security));
    let settled = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert!(
        settled.actions.is_empty() && settled.warnings.is_empty(),
        "{settled:?}"
    );
}
