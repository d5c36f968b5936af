import { crashTestsFor } from './onboardingCrashHarness';

// kill -9 at each checkpoint of step "finalize", then restart (see onboardingCrashHarness.ts).
crashTestsFor('finalize');
