import { redirect } from 'next/navigation';

// The product is the dashboard; signed-out visitors are sent on to sign-in by the proxy.
export default function Home() {
  redirect('/dashboard');
}
