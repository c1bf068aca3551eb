//! Snapshots of the generated code for a few key types: the reviewed expectation of what the
//! generator writes. A change to the generator that touches these files shows up as a snapshot diff
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test -p e2e --test generated_snapshots` and
//! read the `.snap` diff before committing it).

/// The generated file, read at compile time so that a regeneration rebuilds this test.
macro_rules! generated {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/src/", $path))
    };
}

#[test]
fn model_device_configuration_assignment() {
    // An entity's struct: every property tri-state (absent, null or a value), so that it is also
    // the PATCH body.
    insta::assert_snapshot!(generated!("models/device_configuration_assignment.rs"));
}

#[test]
fn model_device_and_app_management_assignment_target() {
    // Complex type hierarchy: a struct per type plus the `Any…` enums dispatching on `@odata.type`.
    insta::assert_snapshot!(generated!("models/device_and_app_management_assignment_target.rs"));
}

#[test]
fn endpoints_device_configuration() {
    // Path-shaped endpoints: navigation segments, casts, the key segment and the bound action `assign`.
    insta::assert_snapshot!(generated!("endpoints/device_configuration.rs"));
}
